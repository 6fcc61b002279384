# Writes ${OUTPUT} (generated/common/build_info.hpp) with the commit the build is made from, at every build: the
# file is rewritten only when the text changes, so only its two includers recompile after a commit.
# Run by the cs_build_info target: cmake -DSOURCE_DIR=... -DOUTPUT=... -P cmake/build_info.cmake
execute_process(COMMAND git rev-parse HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  set(commit "")
endif()
if(commit)
  # Tracked files that differ from the commit make the build "+dirty" (untracked files do not count).
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "+dirty")
  endif()
endif()
set(text "#pragma once
// Generated at build time by cmake/build_info.cmake: the commit of the source tree this binary was built from.
namespace clustersim {
inline constexpr const char* kGitCommit = \"${commit}\";  ///< \"\" outside a git checkout; \"+dirty\": local changes
}  // namespace clustersim
")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUTPUT} "${text}")
endif()

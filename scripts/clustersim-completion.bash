# bash completion for clustersim (installed as share/bash-completion/completions/clustersim; or: source this file).
# Completes subcommands, options, describe topics, YAML files, and keys after --set / -s (from `describe keys`,
# read once per shell).
_clustersim_keys() {
  if [[ -z "${_CLUSTERSIM_KEYS:-}" ]]; then
    _CLUSTERSIM_KEYS=$(clustersim describe keys 2>/dev/null | awk '$1 ~ /^[a-z_]/ && $1 !~ /^catalog\./ {print $1}' \
      | sed 's/\[[0-9]*\]/[0]/g; s/<name>/NAME/g' | sort -u)
  fi
  printf '%s\n' "$_CLUSTERSIM_KEYS"
}

_clustersim() {
  local cur prev words cword
  _init_completion 2>/dev/null || { cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"; cword=$COMP_CWORD; words=("${COMP_WORDS[@]}"); }
  local subcommands="run validate sweep plan report describe describe-fabric validate-models"
  if [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$subcommands --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    -s|--set)
      local IFS=$'\n'
      COMPREPLY=($(compgen -W "$(_clustersim_keys)" -S '=' -- "$cur"))
      compopt -o nospace 2>/dev/null
      return ;;
    -o|--output|--output-dir|--keep|--anchors)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  case "${words[1]}" in
    describe)
      COMPREPLY=($(compgen -W "gpus servers pcie nics switches transceivers models calibration topologies keys" -- "$cur")) ;;
    *)
      if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(clustersim "${words[1]}" --help 2>/dev/null | grep -oE -- '--?[a-z][a-z-]*' | sort -u)" -- "$cur"))
      else
        COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|h5)' -- "$cur") $(compgen -d -- "$cur"))
      fi ;;
  esac
}
complete -F _clustersim clustersim

{{/* The image reference of a workload's `image` values: registry/repository@digest, else :tag. */}}
{{- define "shop.image" -}}
{{- $repository := .repository -}}
{{- if .registry -}}{{- $repository = printf "%s/%s" .registry .repository -}}{{- end -}}
{{- if .digest -}}
{{- printf "%s@%s" $repository .digest -}}
{{- else if .tag -}}
{{- printf "%s:%s" $repository .tag -}}
{{- else -}}
{{- $repository -}}
{{- end -}}
{{- end -}}

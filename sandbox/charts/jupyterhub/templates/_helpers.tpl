{{- define "jupyterhub.labels" -}}
app: jupyterhub
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
heritage: {{ .Release.Service }}
release: {{ .Release.Name }}
{{- end }}

{{- /* A secret value: the one given, else the one the cluster already holds, else a new random one (as the real chart does with lookup). */ -}}
{{- define "jupyterhub.secretValue" -}}
{{- $given := index . 0 -}}{{- $key := index . 1 -}}{{- $ctx := index . 2 -}}
{{- if $given -}}
{{- $given -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" $ctx.Release.Namespace "hub" -}}
{{- if and $existing (index $existing.data $key) -}}
{{- index $existing.data $key | b64dec -}}
{{- else -}}
{{- randAlphaNum 64 -}}
{{- end -}}
{{- end -}}
{{- end }}

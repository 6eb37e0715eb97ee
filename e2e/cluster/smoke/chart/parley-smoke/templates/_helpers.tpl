{{/* Name of every object of a release. */}}
{{- define "parley-smoke.fullname" -}}
{{- printf "%s-web" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "parley-smoke.labels" -}}
app.kubernetes.io/name: parley-smoke
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels the Service selects the pods by. */}}
{{- define "parley-smoke.selectorLabels" -}}
app.kubernetes.io/name: parley-smoke
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

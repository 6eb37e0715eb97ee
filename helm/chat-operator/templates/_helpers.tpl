{{/* Names and labels of the chat-operator chart, in one place. */}}

{{- define "chat-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: the release name, with the chart name unless it already holds it. */}}
{{- define "chat-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "chat-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chat-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chat-operator.labels" -}}
{{ include "chat-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: parley
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "chat-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "chat-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "chat-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "chat-operator.serverImage" -}}
{{- printf "%s:%s" .Values.defaultImages.server.repository (default .Chart.AppVersion .Values.defaultImages.server.tag) -}}
{{- end -}}

{{/* What the operator does, wherever it watches, and nothing more (see docs/operator.md): it
     applies its objects with server-side apply (create, patch), deletes only autoscalers (turning
     autoscaling off), reads pods, claims and Secrets through informers, writes ChatService status
     and records Events. */}}
{{- define "chat-operator.rules" -}}
- apiGroups: ["chat.parley.dev"]
  resources: ["chatservices"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["chat.parley.dev"]
  resources: ["chatservices/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods", "persistentvolumeclaims", "secrets"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}

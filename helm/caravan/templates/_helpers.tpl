{{/* Chart name. */}}
{{- define "caravan.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name. */}}
{{- define "caravan.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "caravan.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "caravan.selectorLabels" -}}
app.kubernetes.io/name: {{ include "caravan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "caravan.labels" -}}
helm.sh/chart: {{ include "caravan.chart" . }}
{{ include "caravan.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "caravan.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "caravan.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "caravan.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "caravan.initImage" -}}
{{- if .Values.initImage.repository -}}
{{- printf "%s:%s" .Values.initImage.repository (default "latest" .Values.initImage.tag) -}}
{{- else -}}
{{- include "caravan.image" . -}}
{{- end -}}
{{- end -}}

{{/*
The files of one ConfigMap (kind: routes, rules or stages): the jar's, which the build copies into files/<kind>/, then
.Values.<kind>.files (the same name replaces; an empty string switches a route off). An unbuilt chart fails here.
*/}}
{{- define "caravan.configFiles" -}}
{{- $ctx := .ctx -}}
{{- $shipped := $ctx.Files.Glob (printf "files/%s/*.yaml" .kind) -}}
{{- if not $shipped -}}
{{- fail (printf "files/%s/ is empty: the chart carries the jar's routes, rules and stages, copied by the build; run mvn -q generate-resources (or any mvn build) first" .kind) -}}
{{- end -}}
{{- $data := dict -}}
{{- range $path, $_ := $shipped -}}
{{- $_ := set $data (base $path) ($ctx.Files.Get $path) -}}
{{- end -}}
{{- range $name, $content := (index $ctx.Values .kind).files -}}
{{- $_ := set $data $name (toString $content) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

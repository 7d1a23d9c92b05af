{{/* Base name of every object: the release name, short enough for a component suffix. */}}
{{- define "mf.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a component's objects: <release>-<component>. Call with (dict "root" $ "component" "rls"). */}}
{{- define "mf.name" -}}
{{- printf "%s-%s" (include "mf.fullname" .root) .component -}}
{{- end -}}

{{- define "mf.selectorLabels" -}}
app.kubernetes.io/name: meshfunctions
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "mf.labels" -}}
{{ include "mf.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: meshfunctions
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Image reference of a MeshFunctions component: (dict "root" $ "image" "rls"). */}}
{{- define "mf.image" -}}
{{- $g := .root.Values.global -}}
{{- printf "%s/%s:%s" $g.imageRegistry .image (default .root.Chart.AppVersion $g.imageTag) -}}
{{- end -}}

{{/* Pod-level settings shared by every component: non-root, seccomp, pull secrets. */}}
{{- define "mf.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1654
  runAsGroup: 1654
  fsGroup: 1654
  seccompProfile:
    type: RuntimeDefault
{{- with .root.Values.global.imagePullSecrets }}
imagePullSecrets:
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Container-level hardening: read-only root filesystem, no privilege escalation, no capabilities. */}}
{{- define "mf.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
    - ALL
{{- end -}}

{{/* Spread replicas over zones (soft) and nodes (soft). */}}
{{- define "mf.topologySpread" -}}
{{- $t := .root.Values.global.topologySpread -}}
{{- if $t.enabled }}
topologySpreadConstraints:
- maxSkew: {{ $t.zoneMaxSkew }}
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ $t.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
{{ include "mf.selectorLabels" . | indent 6 }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
{{ include "mf.selectorLabels" . | indent 6 }}
{{- end }}
{{- end -}}

{{/* A PodDisruptionBudget for a component with more than one replica. */}}
{{- define "mf.pdb" -}}
{{- $c := index .root.Values .component -}}
{{- if gt (int $c.replicas) 1 }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "mf.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
{{ include "mf.labels" . | indent 4 }}
spec:
  minAvailable: {{ $c.pdb.minAvailable }}
  selector:
    matchLabels:
{{ include "mf.selectorLabels" . | indent 6 }}
{{- end }}
{{- end -}}

{{/* StackExchange.Redis configuration string for the RLS ($(REDIS_PASSWORD) is expanded by the kubelet). */}}
{{- define "mf.redisConfiguration" -}}
{{- $r := .Values.redis -}}
{{- $addresses := list -}}
{{- $extra := list -}}
{{- if eq $r.mode "bundled" -}}
{{- $addresses = list (printf "%s:6379" (include "mf.name" (dict "root" . "component" "redis"))) -}}
{{- else if eq $r.mode "external" -}}
{{- $addresses = list (required "redis.external.address is required when redis.mode is external" $r.external.address) -}}
{{- else if eq $r.mode "sentinel" -}}
{{- $addresses = $r.sentinel.addresses -}}
{{- $extra = append $extra (printf "serviceName=%s" (required "redis.sentinel.masterName is required when redis.mode is sentinel" $r.sentinel.masterName)) -}}
{{- else if eq $r.mode "cluster" -}}
{{- $addresses = $r.cluster.addresses -}}
{{- end -}}
{{- if not $addresses -}}
{{- fail (printf "redis.%s.addresses must list at least one host:port when redis.mode is %s" $r.mode $r.mode) -}}
{{- end -}}
{{- if $r.passwordSecret.name -}}
{{- $extra = append $extra "password=$(REDIS_PASSWORD)" -}}
{{- end -}}
{{- if $r.tls -}}
{{- $extra = append $extra "ssl=true" -}}
{{- end -}}
{{- $extra = append $extra "abortConnect=false" -}}
{{- join "," (concat $addresses $extra) -}}
{{- end -}}

{{/* Namespaces the webhooks never see: the API server's own, ours, and any configured. */}}
{{- define "mf.webhookNamespaceSelector" -}}
namespaceSelector:
  matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values:
    - kube-system
    - kube-node-lease
    - {{ .Release.Namespace }}
{{- range .Values.webhooks.excludedNamespaces }}
    - {{ . }}
{{- end }}
{{- end -}}

{{/* The serving certificate in selfSigned mode: the existing Secret when there is one (lookup), else a new CA
     and certificate, computed once per render and shared by the Secret, the webhook configurations and the
     Deployment's checksum. */}}
{{- define "mf.webhookTlsInit" -}}
{{- if not (hasKey .Values "__webhookTls") -}}
{{- $name := printf "%s-tls" (include "mf.name" (dict "root" . "component" "webhooks")) -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $name -}}
{{- if and $existing $existing.data (index $existing.data "ca.crt") -}}
{{- $_ := set .Values "__webhookTls" (dict "crt" (index $existing.data "tls.crt") "key" (index $existing.data "tls.key") "ca" (index $existing.data "ca.crt")) -}}
{{- else -}}
{{- $svc := include "mf.name" (dict "root" . "component" "webhooks") -}}
{{- $days := int .Values.tls.selfSigned.validityDays -}}
{{- $ca := genCA (printf "%s-ca" $svc) $days -}}
{{- $dns := list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) -}}
{{- $cert := genSignedCert (printf "%s.%s.svc" $svc .Release.Namespace) nil $dns $days $ca -}}
{{- $_ := set .Values "__webhookTls" (dict "crt" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc) "ca" ($ca.Cert | b64enc)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* caBundle or cert-manager annotation for the webhook configurations. */}}
{{- define "mf.webhookCaAnnotations" -}}
{{- if eq .Values.tls.mode "certManager" }}
annotations:
  cert-manager.io/inject-ca-from: {{ printf "%s/%s" .Release.Namespace (include "mf.name" (dict "root" . "component" "webhooks")) }}
{{- end }}
{{- end -}}

{{- define "mf.webhookClientConfig" -}}
clientConfig:
  service:
    name: {{ include "mf.name" (dict "root" .root "component" "webhooks") }}
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: 443
{{- if eq .root.Values.tls.mode "selfSigned" }}
{{- include "mf.webhookTlsInit" .root }}
  caBundle: {{ .root.Values.__webhookTls.ca }}
{{- end }}
{{- end -}}

{{/* The function of the app (functions/MeshFunctions.Functions) triggered by a queue (core MeshEventQueues); the
     Infra tests check this map against the app's own trigger attributes. */}}
{{- define "mf.queueFunction" -}}
{{- $map := dict "deploy-events" "DeployEvents" "consul-events" "ConsulEvents" "mesh-config-events" "MeshConfigEvents" "dependency-events" "DependencyEvents" -}}
{{- required (printf "functions.queues: %s is not a queue of the functions app" .) (get $map .) -}}
{{- end -}}

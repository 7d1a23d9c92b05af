#!/usr/bin/env python3
"""Writes a multi-document YAML file of distinct, valid Deployments (no aliases) of about SIZE_MB megabytes.

Usage: gen-deployments.py OUT.yaml [SIZE_MB]   (default 50)
"""
import sys

TEMPLATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: team-{ns}
  labels:
    app: app-{i}
    version: v{v}
    istio-injection: enabled
spec:
  replicas: {r}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
        version: v{v}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
      - name: app
        image: registry.example.com/team-{ns}/app-{i}:1.{v}.0
        args: ["--port=8080", "--log-level=info"]
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: MODE
          value: "production"
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: "1", memory: 512Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: 8080}}
          periodSeconds: 5
        lifecycle:
          preStop:
            exec:
              command: ["sleep", "{s}"]
"""

def main():
    out = sys.argv[1]
    size = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 50 * 1024 * 1024
    written = 0
    i = 0
    with open(out, "w") as f:
        while written < size:
            doc = ("---\n" if i else "") + TEMPLATE.format(i=i, ns=i % 40, v=i % 7, r=1 + i % 5, s=5 + i % 20)
            f.write(doc)
            written += len(doc)
            i += 1
    print(f"{out}: {i} Deployments, {written / 1024 / 1024:.1f} MB")

if __name__ == "__main__":
    main()

# syntax=docker/dockerfile:1
# Admission webhooks: HTTPS 8443 (/mutate, /validate, /healthz, /readyz, /metrics); certificate in /etc/webhook/certs.
# Build from the repository root:  docker build -f infra/docker/webhooks.Dockerfile -t meshfunctions/webhooks .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY core/MeshFunctions.Core/MeshFunctions.Core.csproj core/MeshFunctions.Core/
COPY webhooks/MeshFunctions.Webhooks/MeshFunctions.Webhooks.csproj webhooks/MeshFunctions.Webhooks/
COPY webhooks/Webhooks.Runtime.props webhooks/
RUN dotnet restore webhooks/MeshFunctions.Webhooks/MeshFunctions.Webhooks.csproj
COPY core/ core/
COPY webhooks/ webhooks/
RUN dotnet publish webhooks/MeshFunctions.Webhooks/MeshFunctions.Webhooks.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# Chiseled: no shell, no package manager, runs as the non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
# Read-only root filesystem friendly: nothing is written outside /tmp (mount an emptyDir there).
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp
USER 1654
ENTRYPOINT ["dotnet", "MeshFunctions.Webhooks.dll"]

# syntax=docker/dockerfile:1
# Consul-compatible discovery: HTTP 8500 (+ gRPC h2c), gRPC 8502, DNS 8600 UDP+TCP (/healthz, /readyz, /metrics).
# Build from the repository root:  docker build -f infra/docker/discovery.Dockerfile -t meshfunctions/discovery .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY core/MeshFunctions.Core/MeshFunctions.Core.csproj core/MeshFunctions.Core/
COPY discovery-service/MeshFunctions.Discovery/MeshFunctions.Discovery.csproj discovery-service/MeshFunctions.Discovery/
COPY discovery-service/Discovery.Runtime.props discovery-service/
RUN dotnet restore discovery-service/MeshFunctions.Discovery/MeshFunctions.Discovery.csproj
COPY core/ core/
COPY discovery-service/ discovery-service/
RUN dotnet publish discovery-service/MeshFunctions.Discovery/MeshFunctions.Discovery.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# Chiseled: no shell, no package manager, runs as the non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
# Read-only root filesystem friendly: nothing is written outside /tmp (mount an emptyDir there).
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp
USER 1654
ENTRYPOINT ["dotnet", "MeshFunctions.Discovery.dll"]

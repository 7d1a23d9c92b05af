# syntax=docker/dockerfile:1
# Envoy global Rate Limit Service: gRPC 8081, HTTP 8080 (/healthz, /metrics).
# Build from the repository root:  docker build -f infra/docker/rls.Dockerfile -t meshfunctions/rls .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY core/MeshFunctions.Core/MeshFunctions.Core.csproj core/MeshFunctions.Core/
COPY rls-service/MeshFunctions.Rls/MeshFunctions.Rls.csproj rls-service/MeshFunctions.Rls/
RUN dotnet restore rls-service/MeshFunctions.Rls/MeshFunctions.Rls.csproj
COPY core/ core/
COPY rls-service/ rls-service/
RUN dotnet publish rls-service/MeshFunctions.Rls/MeshFunctions.Rls.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# Chiseled: no shell, no package manager, runs as the non-root user "app" (UID 1654) by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
# Read-only root filesystem friendly: nothing is written outside /tmp (mount an emptyDir there).
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp
USER 1654
ENTRYPOINT ["dotnet", "MeshFunctions.Rls.dll"]

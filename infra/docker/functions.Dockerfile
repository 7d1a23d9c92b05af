# syntax=docker/dockerfile:1
# Queue-triggered reconcilers (Azure Functions isolated worker) for KEDA: the Functions host plus the published app.
# Build from the repository root:  docker build -f infra/docker/functions.Dockerfile -t meshfunctions/functions .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY core/MeshFunctions.Core/MeshFunctions.Core.csproj core/MeshFunctions.Core/
COPY functions/MeshFunctions.Functions/MeshFunctions.Functions.csproj functions/MeshFunctions.Functions/
RUN dotnet restore functions/MeshFunctions.Functions/MeshFunctions.Functions.csproj
COPY core/ core/
COPY functions/ functions/
# The Worker SDK generates and restores an inner WorkerExtensions project during build: the feed is needed here.
RUN dotnet publish functions/MeshFunctions.Functions/MeshFunctions.Functions.csproj -c Release -o /home/site/wwwroot

# The Functions host image for .NET isolated workers (host 4.x); it runs the worker from /home/site/wwwroot.
FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_EnableDiagnostics=0
COPY --from=build /home/site/wwwroot /home/site/wwwroot
# The host image runs as root by default; run as an unprivileged user (the chart also sets runAsNonRoot).
USER 1654

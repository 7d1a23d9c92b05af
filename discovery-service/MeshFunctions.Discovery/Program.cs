using MeshFunctions.Discovery;

var app = DiscoveryApplication.Build(args);
app.Run();

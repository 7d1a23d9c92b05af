using MeshFunctions.Rls;

var app = RlsApplication.Build(args);
app.Run();

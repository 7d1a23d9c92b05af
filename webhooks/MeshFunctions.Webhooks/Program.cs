using MeshFunctions.Webhooks;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebhookServer();
var app = builder.Build();
app.MapWebhooks();
app.Run();

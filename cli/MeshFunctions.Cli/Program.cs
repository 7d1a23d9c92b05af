using MeshFunctions.Cli;

return Meshctl.Run(args, CliConsole.System);

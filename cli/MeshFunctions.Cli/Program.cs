using MeshFunctions.Cli;

var console = CliConsole.System;
var code = Meshctl.Run(args, console);
console.Out.Flush();
return code;

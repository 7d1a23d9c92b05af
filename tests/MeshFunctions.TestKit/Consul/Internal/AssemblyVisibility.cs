using System.Runtime.CompilerServices;

// The stand-in's own tests check parsing rules (Go durations, blocking parameters) directly.
[assembly: InternalsVisibleTo("MeshFunctions.TestKit.Tests")]

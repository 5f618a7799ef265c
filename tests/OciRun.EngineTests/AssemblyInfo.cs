// Engines, runtimes and cgroups: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

using System.Security.Cryptography;
using System.Text;

namespace OciRun.EngineTests.Support;

/// <summary>What the tests read of the machine: processes, mounts, cgroup hierarchies.</summary>
public static class Host
{
    public static bool IsRoot { get; } =
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2] == "0";

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Concat(["/usr/sbin", "/sbin"])
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);

    /// <summary>Every process's PID and argv (processes that vanish while read are left out).</summary>
    public static IEnumerable<(int Pid, string[] Argv)> Processes()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string raw;
            try { raw = File.ReadAllText(Path.Combine(dir, "cmdline")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (raw.Length == 0) continue;
            yield return (pid, raw.TrimEnd('\0').Split('\0'));
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try { return File.ReadLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:") && l.Contains('Z')); }
        catch (IOException) { return false; }
    }

    public static void Signal(int pid, int signal) => Kill(pid, signal);

    /// <summary>SIGTERM, up to ten seconds to go, then SIGKILL.</summary>
    public static void Stop(int pid)
    {
        if (!IsAlive(pid)) return;
        Kill(pid, 15);
        for (var i = 0; i < 100 && IsAlive(pid); i++) Thread.Sleep(100);
        if (IsAlive(pid)) Kill(pid, 9);
        for (var i = 0; i < 50 && IsAlive(pid); i++) Thread.Sleep(100);
    }

    /// <summary>Mount points at or under a directory, deepest first.</summary>
    public static List<string> MountsUnder(string dir) =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(l => Unescape(l.Split(' ')[4]))
            .Where(m => m == dir || m.StartsWith(dir + "/"))
            .Distinct()
            .OrderByDescending(m => m.Length)
            .ToList();

    /// <summary>The mount point of every cgroup hierarchy (v1 ones and the unified one).</summary>
    public static List<string> CgroupHierarchies() =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => { var dash = Array.IndexOf(f, "-"); return dash > 0 && f[dash + 1] is "cgroup" or "cgroup2"; })
            .Select(f => Unescape(f[4]))
            .Distinct()
            .ToList();

    /// <summary>This process's cgroup in the hierarchy mounted at a mount point (to find what nests under it).</summary>
    public static string? OwnCgroup(string hierarchy)
    {
        var mount = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).FirstOrDefault(f => Unescape(f[4]) == hierarchy);
        if (mount is null) return null;
        var dash = Array.IndexOf(mount, "-");
        var options = mount[dash + 3].Split(',');
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            var controllers = parts[1].Split(',');
            var matches = mount[dash + 1] == "cgroup2" ? parts[1] == "" : controllers.All(c => options.Contains(c)) && controllers.Any(c => c != "");
            if (matches) return parts[2];
        }
        return null;
    }

    /// <summary>Removes a cgroup directory and its children, depth first, with rmdir only.</summary>
    public static void RemoveCgroupTree(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var child in Directory.GetDirectories(dir)) RemoveCgroupTree(child);
        try { Directory.Delete(dir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>containerd's name for a shim's socket: sha256 of "address/namespace/id" under /run/containerd/s.</summary>
    public static string ShimSocket(string address, string ns, string id) =>
        "/run/containerd/s/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{address}/{ns}/{id}")));

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, EntryPoint = "umount2")]
    private static extern int Umount2(string target, int flags);

    /// <summary>Unmounts, lazily if busy (MNT_DETACH).</summary>
    public static void Unmount(string target)
    {
        if (Umount2(target, 0) != 0) Umount2(target, 2);
    }
}

using LibContainer.Interop;

namespace LibContainer.Processes;

/// <summary>Finds process.args[0] the way execvp would, in the container's PATH, before init reports ready.</summary>
internal static class Executable
{
    private const int X_OK = 1;

    public static string Resolve(string name, IReadOnlyList<string> env)
    {
        if (name.Contains('/'))
        {
            Check(name, name);
            return name;
        }
        // The last PATH= entry wins.
        var path = "";
        for (var i = env.Count - 1; i >= 0; i--)
            if (env[i].StartsWith("PATH=", StringComparison.Ordinal)) { path = env[i][5..]; break; }
        foreach (var dir in path.Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (IsExecutableFile(candidate)) return candidate;
        }
        throw new ContainerError($"exec: \"{name}\": executable file not found in $PATH");
    }

    private static void Check(string path, string name)
    {
        if (LibC.fstatat(AT.FDCWD, path, out var st, 0) < 0)
            throw ContainerError.FromErrno($"exec: \"{name}\"", Syscall.LastErrno);
        if ((st.Mode & StatMode.S_IFMT) == StatMode.S_IFDIR)
            throw new ContainerError($"exec: \"{name}\": is a directory");
        if (!MayExecute(path, st))
            throw ContainerError.FromErrno($"exec: \"{name}\"", Syscall.LastErrno);
    }

    private static bool IsExecutableFile(string path) =>
        LibC.fstatat(AT.FDCWD, path, out var st, 0) == 0 &&
        (st.Mode & StatMode.S_IFMT) != StatMode.S_IFDIR &&
        MayExecute(path, st);

    // access(X_OK) never answers EPERM or ENOSYS for a file: a seccomp profile that leaves out
    // faccessat2 (runtime-tools' does; runc 1.1.5's Go checks only the mode) answers so. Then
    // any execute bit will do, as runc's check, and execve has the last word.
    private static bool MayExecute(string path, Stat st)
    {
        if (LibC.faccessat(AT.FDCWD, path, X_OK, 0) == 0) return true;
        return Syscall.LastErrno is Errno.EPERM or Errno.ENOSYS && (st.Mode & 0x49 /* 0111 */) != 0;
    }

    /// <summary>process.env plus HOME when the config leaves it out, as runc does.</summary>
    public static List<string> Environment(Spec.Process process)
    {
        var env = new List<string>(process.Env ?? []);
        if (!env.Exists(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            env.Add("HOME=" + HomeOf(process.User?.Uid ?? 0));
        return env;
    }

    // Read inside the container after pivot_root: its own /etc/passwd.
    private static string HomeOf(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && uint.TryParse(f[2], out var u) && u == uid && f[5].Length > 0) return f[5];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return "/";
    }
}

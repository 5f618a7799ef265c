namespace LibContainer.Exec;

/// <summary>
/// What `exec` was asked, as runc's flags say it: a process file, or the
/// command with changes to config.json's process.
/// </summary>
public sealed record ExecRequest(string Id)
{
    /// <summary>`--process FILE`: the whole process, config.json's is not used.</summary>
    public string? ProcessFile { get; init; }
    /// <summary>The command after the ID (without --process it must not be empty).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];
    public string? Cwd { get; init; }
    /// <summary>Added to config.json's environment.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    public bool Tty { get; init; }
    /// <summary>`uid[:gid]`, numbers only, as runc 1.1.</summary>
    public string? User { get; init; }
    public IReadOnlyList<string> AdditionalGids { get; init; } = [];
    /// <summary>Capabilities added to the bounding, effective, permitted and ambient sets.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    /// <summary>Null: as config.json says.</summary>
    public bool? NoNewPrivileges { get; init; }
    public string? ApparmorProfile { get; init; }
    public string? ProcessLabel { get; init; }

    public bool Detach { get; init; }
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    /// <summary>--pidfd-socket: where a pidfd of the process goes once it runs (runc 1.2).</summary>
    public string? PidfdSocket { get; init; }
    /// <summary>In the foreground with --tty: what takes the pty's master (the CLI's ConsoleProxy).</summary>
    public Terminal.IConsoleReceiver? Console { get; init; }
    public int PreserveFds { get; init; }
    public bool IgnorePaused { get; init; }
    /// <summary>`--cgroup [CONTROLLERS:]PATH`: an existing sub-cgroup of the container's to run in.</summary>
    public IReadOnlyList<string> SubCgroups { get; init; } = [];
}

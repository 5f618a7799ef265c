using LibContainer.Spec;

namespace LibContainer.Security.Seccomp;

/// <summary>One argument comparison: libseccomp's operator number and its operands (for SCMP_CMP_MASKED_EQ, the mask and the value).</summary>
public sealed record SeccompCondition(uint Index, uint Operator, ulong Value, ulong ValueTwo);

/// <summary>One libseccomp rule: the syscall by name, its action, conditions that must all hold, and the config entry it came from.</summary>
public sealed record SyscallRule(string Syscall, SeccompAction Action, IReadOnlyList<SeccompCondition> Conditions, string Path);

/// <summary>An architecture the filter also takes (libseccomp adds the host's own), and where the config names it.</summary>
public sealed record SeccompArchitecture(uint Token, string Path);

/// <summary>A filter flag asked for (SECCOMP_FILTER_FLAG_*), and where.</summary>
public sealed record SeccompFlag(uint Bit, string Name, string Path);

/// <summary>
/// linux.seccomp decided: the default action, architectures, the rules to add
/// (one per syscall name; those that do what the default does are left out, as
/// libseccomp refuses them), every syscall the profile names (the ENOSYS prefix
/// answers for those above the highest), and the flags. SeccompCompiler turns
/// it into a BPF program. Pure: Problems lists what is wrong in the config,
/// each with its JSON path, and the validator reports them before anything is made.
/// With SCMP_ACT_NOTIFY rules (UsesNotify) the filter is loaded with a listener,
/// which create hands to the agent at ListenerPath.
/// </summary>
public sealed record SeccompPlan(
    SeccompAction DefaultAction,
    IReadOnlyList<SeccompArchitecture> Architectures,
    IReadOnlyList<SyscallRule> Rules,
    IReadOnlyList<string> ProfileSyscalls,
    bool EnosysForNewer,
    IReadOnlyList<SeccompFlag> Flags,
    bool UsesNotify = false,
    string? ListenerPath = null,
    string? ListenerMetadata = null)
{
    /// <summary>
    /// Syscalls init makes to hand the listener over once the filter is loaded: a
    /// notification for one of them would wait for an agent that has no listener yet.
    /// </summary>
    public static readonly string[] NotNotifiable = ["write", "sendmsg"];

    private const string Where = "linux.seccomp";

    /// <summary>A syscall has six arguments, numbered 0 to 5.</summary>
    public const int ArgumentCount = 6;

    public static SeccompPlan For(Spec.Seccomp seccomp)
    {
        var problems = new List<SpecProblem>();
        var plan = Make(seccomp, problems);
        if (problems.Count > 0) throw SpecProblems.Error(problems);
        return plan;
    }

    public static IReadOnlyList<SpecProblem> Problems(Spec.Seccomp seccomp)
    {
        var problems = new List<SpecProblem>();
        Make(seccomp, problems);
        return problems;
    }

    private static SeccompPlan Make(Spec.Seccomp seccomp, List<SpecProblem> problems)
    {
        var defaultAction = DefaultActionOf(seccomp, problems);
        if (SeccompNames.Action(seccomp.DefaultAction) == SeccompActionKind.Notify)
            problems.Add(new($"{Where}.defaultAction", "SCMP_ACT_NOTIFY cannot be the default: init's own syscalls would wait for an agent that has no listener yet"));
        var usesNotify = false;

        var architectures = new List<SeccompArchitecture>();
        for (var i = 0; i < (seccomp.Architectures?.Count ?? 0); i++)
        {
            var name = seccomp.Architectures![i];
            if (SeccompNames.Architecture(name) is { } token) architectures.Add(new SeccompArchitecture(token, $"{Where}.architectures[{i}]"));
            else problems.Add(new($"{Where}.architectures[{i}]", $"unknown architecture {ValueText.Quoted(name)}"));
        }

        var rules = new List<SyscallRule>();
        var names = new List<string>();
        var seen = new HashSet<string>();
        for (var i = 0; i < (seccomp.Syscalls?.Count ?? 0); i++)
        {
            var entry = seccomp.Syscalls![i];
            var where = $"{Where}.syscalls[{i}]";
            var action = Action(entry.Action, entry.ErrnoRet, $"{where}.action", $"{where}.errnoRet", problems);
            var conditionSets = ConditionSets(entry.Args, $"{where}.args", problems);
            if (entry.Names is not { Count: > 0 }) problems.Add(new($"{where}.names", "must name at least one syscall"));
            var notify = SeccompNames.Action(entry.Action) == SeccompActionKind.Notify;
            usesNotify |= notify;
            for (var j = 0; j < (entry.Names?.Count ?? 0); j++)
            {
                var name = entry.Names![j];
                if (string.IsNullOrEmpty(name))
                {
                    problems.Add(new($"{where}.names[{j}]", "must not be empty"));
                    continue;
                }
                if (notify && Array.IndexOf(NotNotifiable, name) >= 0)
                    problems.Add(new($"{where}.names[{j}]", $"SCMP_ACT_NOTIFY cannot be used for {name}: init hands the listener over with it once the filter is loaded"));
                if (seen.Add(name)) names.Add(name);
                // A rule that does what the default does changes nothing (libseccomp refuses it).
                if (action is not { } act || act == defaultAction) continue;
                foreach (var conditions in conditionSets)
                    rules.Add(new SyscallRule(name, act, conditions, $"{where}.names[{j}]"));
            }
        }

        var flags = new List<SeccompFlag>();
        for (var i = 0; i < (seccomp.Flags?.Count ?? 0); i++)
        {
            var name = seccomp.Flags![i];
            var where = $"{Where}.flags[{i}]";
            if (SeccompNames.Flag(name) is not { } bit) problems.Add(new(where, $"unknown flag {ValueText.Quoted(name)}"));
            else if (bit == Interop.SeccompSyscall.FLAG_WAIT_KILLABLE_RECV && !usesNotify)
                // The kernel takes it only with a listener, and there is one only for SCMP_ACT_NOTIFY rules.
                problems.Add(new(where, $"{name} applies to SCMP_ACT_NOTIFY, which no rule uses"));
            else flags.Add(new SeccompFlag(bit, name!, where));
        }

        if (usesNotify && string.IsNullOrEmpty(seccomp.ListenerPath))
            problems.Add(new($"{Where}.listenerPath", "missing: SCMP_ACT_NOTIFY needs the agent's unix socket"));

        var defaultValue = defaultAction ?? SeccompAction.Of(SeccompActionKind.Allow, null);
        return new SeccompPlan(defaultValue, architectures, rules, names, NeedsEnosys(seccomp, defaultValue), flags,
            usesNotify, usesNotify ? seccomp.ListenerPath : null, seccomp.ListenerMetadata);
    }

    private static SeccompAction? DefaultActionOf(Spec.Seccomp seccomp, List<SpecProblem> problems)
    {
        if (string.IsNullOrEmpty(seccomp.DefaultAction))
        {
            problems.Add(new($"{Where}.defaultAction", "missing: the action for syscalls no rule names, e.g. \"SCMP_ACT_ERRNO\""));
            return null;
        }
        return Action(seccomp.DefaultAction, seccomp.DefaultErrnoRet, $"{Where}.defaultAction", $"{Where}.defaultErrnoRet", problems);
    }

    private static SeccompAction? Action(string? name, uint? errnoRet, string actionPath, string errnoPath, List<SpecProblem> problems)
    {
        if (SeccompNames.Action(name) is not { } kind)
        {
            problems.Add(new(actionPath, string.IsNullOrEmpty(name) ? "missing" : $"unknown action {ValueText.Quoted(name)}"));
            return null;
        }
        if (errnoRet is { } errno)
        {
            if (!SeccompAction.TakesErrno(kind))
            {
                problems.Add(new(errnoPath, $"{name} returns no errno: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one"));
                return null;
            }
            if (errno > 0xFFFF)
            {
                problems.Add(new(errnoPath, $"{errno} does not fit the 16 bits a seccomp filter returns"));
                return null;
            }
        }
        return SeccompAction.Of(kind, errnoRet);
    }

    /// <summary>
    /// The conditions of one entry as rules: all in one rule (all must hold), but when two
    /// compare the same argument, one rule each (any may hold), as runc and crun do:
    /// libseccomp takes one comparison per argument in a rule.
    /// </summary>
    private static List<IReadOnlyList<SeccompCondition>> ConditionSets(List<SeccompArg>? args, string where, List<SpecProblem> problems)
    {
        var conditions = new List<SeccompCondition>();
        var used = new bool[ArgumentCount];
        var shared = false;
        for (var k = 0; k < (args?.Count ?? 0); k++)
        {
            var arg = args![k];
            var ok = true;
            if (arg.Index >= ArgumentCount)
            {
                problems.Add(new($"{where}[{k}].index", $"{arg.Index} is not an argument: a syscall has {ArgumentCount}, numbered 0 to {ArgumentCount - 1}"));
                ok = false;
            }
            if (SeccompNames.Operator(arg.Op) is not { } op)
            {
                problems.Add(new($"{where}[{k}].op", string.IsNullOrEmpty(arg.Op) ? "missing" : $"unknown operator {ValueText.Quoted(arg.Op)}"));
                ok = false;
                op = 0;
            }
            if (!ok) continue;
            if (used[arg.Index]) shared = true;
            used[arg.Index] = true;
            conditions.Add(new SeccompCondition(arg.Index, op, arg.Value, arg.ValueTwo));
        }
        if (!shared) return [conditions];
        var separate = new List<IReadOnlyList<SeccompCondition>>();
        foreach (var condition in conditions) separate.Add([condition]);
        return separate;
    }

    /// <summary>
    /// Whether syscalls newer than the profile get ENOSYS rather than the default
    /// action (runc's rule): a program that tries a new syscall (glibc's clone3) then
    /// falls back to the old one. Not when the default lets syscalls through, nor
    /// when it answers ENOSYS already (podman's profile).
    /// </summary>
    private static bool NeedsEnosys(Spec.Seccomp seccomp, SeccompAction defaultAction) =>
        SeccompNames.Action(seccomp.DefaultAction) is { } kind && !SeccompAction.LetsThrough(kind) && defaultAction != SeccompAction.Enosys;
}

using static LibContainer.Cgroups.DeviceFilter.BpfInstruction;

namespace LibContainer.Cgroups.DeviceFilter;

/// <summary>
/// The eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) that answers device
/// accesses as cgroup v1 would under a DevicePolicy. The kernel calls it with
/// R1 pointing at struct bpf_cgroup_dev_ctx { u32 access_type (type in the low
/// 16 bits, access in the high 16), u32 major, u32 minor }; it returns 1 to
/// allow, 0 to deny. Pure: no syscalls.
/// </summary>
internal static class DeviceProgram
{
    // R1: the context on entry. The program keeps the request's fields in R2 to R5 and answers in R0.
    private const byte R0 = 0, Context = 1, Type = 2, Access = 3, Major = 4, Minor = 5;

    // A jump's offset before it is known: "to the first instruction after this exception's block".
    private const short ToNextBlock = short.MaxValue;

    public static IReadOnlyList<BpfInstruction> Generate(DevicePolicy policy)
    {
        var program = new List<BpfInstruction>
        {
            LoadWord(Type, Context, 0),
            Move32(Access, Type),
            RightShift32(Access, 16),
            And32(Type, 0xffff),
            LoadWord(Major, Context, 4),
            LoadWord(Minor, Context, 8),
        };
        // Under a default, every exception gives the other answer, so their order does not matter: any match decides.
        foreach (var exception in policy.Exceptions) program.AddRange(Block(exception, policy.DefaultAllow));
        program.Add(Move32(R0, policy.DefaultAllow ? 1 : 0));
        program.Add(Exit());
        return program;
    }

    /// <summary>Tests that skip to the next block unless the request matches the exception, then its answer.</summary>
    private static List<BpfInstruction> Block(ExceptedDevices exception, bool defaultAllow)
    {
        var block = new List<BpfInstruction> { JumpIfNotEqual32(Type, (int)exception.Type, ToNextBlock) };
        if (exception.Major != ExceptedDevices.Wildcard) block.Add(JumpIfNotEqual32(Major, unchecked((int)exception.Major), ToNextBlock));
        if (exception.Minor != ExceptedDevices.Wildcard) block.Add(JumpIfNotEqual32(Minor, unchecked((int)exception.Minor), ToNextBlock));
        if (defaultAllow)
        {
            // A denial: v1 denies a request that asks for any of the exception's access ("rw" against "w" is denied).
            block.Add(JumpIfAnySet32(Access, (int)exception.Access, 1)); // over the next jump, to the answer
            block.Add(Jump(ToNextBlock));
        }
        else
        {
            // An allowance: v1 allows a request only if one exception holds all the access it asks for.
            block.Add(JumpIfAnySet32(Access, ~(int)exception.Access, ToNextBlock));
        }
        block.Add(Move32(R0, defaultAllow ? 0 : 1));
        block.Add(Exit());

        for (var i = 0; i < block.Count; i++)
            if (block[i].Offset == ToNextBlock) block[i] = block[i] with { Offset = (short)(block.Count - i - 1) };
        return block;
    }
}

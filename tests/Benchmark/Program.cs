using OciRun.Benchmark;

// Measures oci-run, crun and runc side by side in one run, interleaved, and
// prints a markdown table of medians with the ratios oci-run/crun and oci-run/runc.
var options = Options.Parse(args);
var work = Directory.CreateTempSubdirectory("ocirun-bench-").FullName;
var bundle = Bundle.Make(Path.Combine(work, "bundle"), options.OciRun);
var dockerBundle = Bundle.MakeFromDocker(Path.Combine(work, "docker-bundle"), Path.Combine(bundle, "rootfs"));
var sleeperBundle = Bundle.MakeSleeper(Path.Combine(work, "sleeper-bundle"), Path.Combine(bundle, "rootfs"));
var runtimes = options.Runtimes.Select(r => new Runtime(r.Name, r.Binary, Path.Combine(work, "root-" + r.Name))).ToList();
Spawner.BecomeSubreaper();
Console.CancelKeyPress += (_, _) => Cleanup();

try
{
    var results = runtimes.ToDictionary(r => r.Name, _ => new Measurements());
    var n = 0;
    string NextId(Runtime r) => $"{r.Name}-{n++}";

    // One running container per runtime, to exec into.
    const string ExecTarget = "exec-target";
    foreach (var rt in runtimes)
        if (rt.Call("run", "--detach", "--bundle", sleeperBundle, ExecTarget).ExitCode != 0)
            throw new InvalidOperationException($"{rt.Name} run --detach failed; try it by hand with the bundle in {sleeperBundle}");

    // Lifecycle and run, interleaved: each repetition visits every runtime, in a rotating order.
    for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
    {
        var counted = rep >= options.Warmup;
        for (var k = 0; k < runtimes.Count; k++)
        {
            var rt = runtimes[(rep + k) % runtimes.Count];
            var m = results[rt.Name];

            var id = NextId(rt);
            var pidFile = Path.Combine(work, id + ".pid");
            var create = rt.Call("create", "--bundle", bundle, "--pid-file", pidFile, id);
            if (create.ExitCode != 0) throw new InvalidOperationException($"{rt.Name} create failed ({create.ExitCode}); try it by hand with the bundle in {bundle}");
            var pid = int.Parse(File.ReadAllText(pidFile).Trim());
            var initPeak = Runtime.InitPeakKb(pid);
            var start = rt.Call("start", id);
            var wait = Spawner.WaitFor(pid);
            var delete = rt.Call("delete", id);
            Spawner.ReapOrphans();

            var runId = NextId(rt);
            var run = rt.Call("run", "--bundle", bundle, runId);
            rt.Call("delete", "--force", runId); // runc run deletes by itself; the others too, but make sure
            Spawner.ReapOrphans();

            var dockerId = NextId(rt);
            var dockerRun = rt.Call("run", "--bundle", dockerBundle, dockerId);
            if (dockerRun.ExitCode != 0) throw new InvalidOperationException($"{rt.Name} run of Docker's config failed ({dockerRun.ExitCode}); try it by hand with the bundle in {dockerBundle}");
            rt.Call("delete", "--force", dockerId);
            Spawner.ReapOrphans();

            var exec = rt.Call("exec", ExecTarget, "/bin/true");
            if (exec.ExitCode != 0) throw new InvalidOperationException($"{rt.Name} exec failed ({exec.ExitCode})");

            if (!counted) continue;
            m.Add("exec of /bin/true into a running container (ms)", exec.Milliseconds);
            m.Add("lifecycle of /bin/true (ms)", create.Milliseconds + start.Milliseconds + wait + delete.Milliseconds);
            m.Add("create (ms)", create.Milliseconds);
            m.Add("start (ms)", start.Milliseconds);
            m.Add("delete (ms)", delete.Milliseconds);
            m.Add("run of /bin/true (ms)", run.Milliseconds);
            m.Add("run with Docker's config and limits (ms)", dockerRun.Milliseconds);
            m.Add("peak RSS init (MiB)", initPeak / 1024.0);
        }
    }

    // state and list with many stopped containers present.
    foreach (var rt in runtimes)
    {
        for (var i = 0; i < options.Containers; i++)
        {
            var id = $"many-{i}";
            var pidFile = Path.Combine(work, $"{rt.Name}-{id}.pid");
            if (rt.Call("create", "--bundle", bundle, "--pid-file", pidFile, id).ExitCode != 0)
                throw new InvalidOperationException($"{rt.Name} create {id} failed");
            rt.Call("start", id);
            Spawner.WaitFor(int.Parse(File.ReadAllText(pidFile).Trim()));
        }
        Spawner.ReapOrphans();
    }
    for (var rep = 0; rep < options.Warmup + options.StateRepetitions; rep++)
    {
        for (var k = 0; k < runtimes.Count; k++)
        {
            var rt = runtimes[(rep + k) % runtimes.Count];
            var state = rt.Call("state", $"many-{rep % options.Containers}");
            var list = rt.Call("list");
            if (rep < options.Warmup) continue;
            results[rt.Name].Add($"state with {options.Containers} containers (ms)", state.Milliseconds);
            results[rt.Name].Add($"list with {options.Containers} containers (ms)", list.Milliseconds);

        }
    }
    // Peak RSS of the runtime's own processes, through /usr/bin/time: a child spawned straight from
    // this (large) harness would report the harness's high-water mark as its own.
    for (var rep = 0; rep < options.RssRepetitions; rep++)
    {
        foreach (var rt in runtimes)
        {
            var id = NextId(rt);
            results[rt.Name].Add("peak RSS create (MiB)", Rss.Of(rt.Args("create", "--bundle", bundle, id), work) / 1024.0);
            results[rt.Name].Add("peak RSS start (MiB)", Rss.Of(rt.Args("start", id), work) / 1024.0);
            results[rt.Name].Add("peak RSS state (MiB)", Rss.Of(rt.Args("state", id), work) / 1024.0);
            rt.Call("delete", "--force", id);
            Spawner.ReapOrphans();
        }
    }
    foreach (var rt in runtimes)
        results[rt.Name].Add("binary size (MiB)", new FileInfo(Path.GetFullPath(rt.Binary)).ResolveLinkTarget(true) is FileInfo target
            ? target.Length / 1048576.0 : new FileInfo(rt.Binary).Length / 1048576.0);

    var table = Report.Markdown(results, options, runtimes.Select(r => r.Name).ToList());
    Console.Write(table);
    if (options.Output is { } output) File.WriteAllText(output, table);
    return 0;
}
finally
{
    Cleanup();
}

void Cleanup()
{
    foreach (var rt in runtimes) rt.DeleteAll();
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

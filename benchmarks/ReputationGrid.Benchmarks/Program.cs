using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// --quick: BenchmarkDotNet's dry job (one invocation each), a smoke check that only shows they run; otherwise its default job.
// In-process: the benchmarks run in this process rather than in a generated project, which would not build
// under the repository's central package management; the memory diagnoser works the same way.
var quick = args.Contains("--quick");
var job = (quick ? Job.Dry : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(a => a != "--quick")], DefaultConfig.Instance.AddJob(job));

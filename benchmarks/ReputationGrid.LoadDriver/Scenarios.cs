namespace ReputationGrid.LoadDriver;

/// <summary>One timed run's set-up: a path, what its requests do, how they spread over accounts, and its pacing.</summary>
/// <param name="CheckShare">The share of send-time checks; the rest are other events.</param>
/// <param name="Noop">Baseline (a) for this run: the no-op grain call on the same path, when there is one.</param>
/// <param name="Pace">Null for a closed loop; else how to derive the offered rate from earlier closed-loop results.</param>
internal sealed record Scenario(
    IBenchmarkPath Path,
    string Operation,
    KeyDistribution Distribution,
    double CheckShare,
    Scenario? Noop = null,
    Pace? Pace = null)
{
    public string Key => $"{Path.Name} | {Operation} | {Distribution}";
}

/// <summary>Offered load as a fraction of the slowest median throughput of some closed-loop scenarios, or a fixed rate.</summary>
internal sealed record Pace(double Fraction, string Description, params Scenario[] Of)
{
    /// <summary>Requests a second whatever the closed loops measured; null when derived from them.</summary>
    public double? FixedRate { get; init; }

    public static Pace Fixed(double rate, string description) => new(1, description) { FixedRate = rate };

    /// <summary>The offered rate, from the closed-loop scenarios' median throughput.</summary>
    public double RateFrom(Func<Scenario, double> medianThroughput) => Math.Max(1, FixedRate ?? Fraction * Of.Min(medianThroughput));
}

/// <summary>The paths the driver started; null where not selected.</summary>
internal sealed record LoadPaths(
    IBenchmarkPath? InProcessNoop,
    IBenchmarkPath? InProcess,
    IBenchmarkPath? InProcessShadow,
    IBenchmarkPath? ClientNoop,
    IBenchmarkPath? Client,
    IBenchmarkPath? Http,
    IBenchmarkPath? Grpc,
    IBenchmarkPath? Redis,
    IBenchmarkPath? EmptyEndpoint,
    IBenchmarkPath? HttpNoop,
    IBenchmarkPath? GatewayProcess,
    IBenchmarkPath? GatewayWithApiKey,
    IBenchmarkPath? InProcessLinked,
    IBenchmarkPath? HttpLinked,
    IBenchmarkPath? HotEntity);

/// <summary>The runs the driver makes, in order.</summary>
internal sealed class ScenarioPlan
{
    public const string NoopCall = "no-op call";
    public const string SendCheck = "send check";
    public const string LinkingCheck = "send check linking a new account to one fingerprint";

    public List<Scenario> ClosedLoop { get; } = [];

    public List<Scenario> Paced { get; } = [];

    /// <summary>Paced runs made after every other run (their repetitions interleaved among themselves): the hot entity's, which change the linked accounts' links.</summary>
    public List<Scenario> Last { get; } = [];

    /// <summary>The Redis limiter's send-check run for a distribution: baseline (b) of every row with that distribution.</summary>
    public Dictionary<KeyDistribution, Scenario> RedisBaselines { get; } = [];

    public Scenario? InProcessCheck { get; private set; }

    public Scenario? HttpCheck { get; private set; }

    public Scenario? GrpcCheck { get; private set; }

    /// <summary>The send check through the gateway deployable in a process of its own (the HTTP path as deployed).</summary>
    public Scenario? GatewayCheck { get; private set; }

    /// <summary>The same through a gateway process that requires an API key, which the requests present: the cost of authentication.</summary>
    public Scenario? GatewayWithKeyCheck { get; private set; }

    /// <summary>The in-process and HTTP send checks of linked accounts, each in the silo that holds them.</summary>
    public Scenario? InProcessLinkedCheck { get; private set; }

    public Scenario? HttpLinkedCheck { get; private set; }

    /// <summary>Send checks each linking a new account to one hot entity, and the linked accounts' send checks at the same rate without new links.</summary>
    public (Scenario Hot, Scenario? Linked)? HotEntity { get; private set; }

    public Scenario? HttpAtHalfPeak { get; private set; }

    /// <summary>The empty endpoint at the offered load of <see cref="HttpAtHalfPeak"/>: the framework's own tail there.</summary>
    public Scenario? EmptyAtHttpLoad { get; private set; }

    /// <summary>The no-op grain over HTTP at the offered load of <see cref="HttpAtHalfPeak"/>: the tail of any grain call in the serving process.</summary>
    public Scenario? HttpNoopAtHttpLoad { get; private set; }

    /// <summary>The HTTP check and the Redis limiter paced at the same offered load, for comparing their latency.</summary>
    public (Scenario Http, Scenario Redis)? SameLoad { get; private set; }

    /// <summary>
    /// Every path with the first distribution: no-op calls (the HTTP path's is the empty endpoint; the no-op grain's over
    /// HTTP is reported beside it), send checks (in-process also on a subject with a shadow policy installed), and
    /// a mix with events on the in-process, HTTP and gRPC paths, and the linked accounts' in-process and HTTP send checks. The
    /// other distributions repeat the send checks of the in-process, HTTP, gRPC and Redis paths. Then paced runs:
    /// in-process, gRPC, gateway-process and HTTP checks at half their peak, the empty endpoint and the no-op grain over
    /// HTTP at the HTTP check's, HTTP and Redis at the same offered load, and the linked accounts' in-process checks at the linking rate; last, the hot
    /// entity's linking checks at that rate.
    /// </summary>
    public static ScenarioPlan Build(LoadPaths paths, IReadOnlyList<KeyDistribution> distributions, double checkShare, double linkingRate)
    {
        var plan = new ScenarioPlan();
        var mix = $"mix {checkShare:P0} checks";
        Scenario? httpNoopCall = null;
        foreach (var distribution in distributions)
        {
            var full = distribution == distributions[0];
            Scenario? Add(IBenchmarkPath? path, string operation, double share = 1, Scenario? noop = null)
            {
                if (path is null)
                {
                    return null;
                }

                var scenario = new Scenario(path, operation, distribution, share, noop);
                plan.ClosedLoop.Add(scenario);
                return scenario;
            }

            var inProcessNoop = full ? Add(paths.InProcessNoop, NoopCall) : null;
            var inProcessCheck = Add(paths.InProcess, SendCheck, noop: inProcessNoop);
            if (full)
            {
                Add(paths.InProcessShadow, SendCheck, noop: inProcessNoop);
                Add(paths.InProcess, mix, checkShare, inProcessNoop);
                var clientNoop = Add(paths.ClientNoop, NoopCall);
                Add(paths.Client, SendCheck, noop: clientNoop);
            }

            var emptyEndpoint = full ? Add(paths.EmptyEndpoint, NoopCall) : null;
            httpNoopCall = full ? Add(paths.HttpNoop, NoopCall) : httpNoopCall;
            var httpCheck = Add(paths.Http, SendCheck, noop: emptyEndpoint);
            if (full)
            {
                plan.InProcessLinkedCheck = Add(paths.InProcessLinked, SendCheck, noop: inProcessNoop);
                plan.HttpLinkedCheck = Add(paths.HttpLinked, SendCheck, noop: emptyEndpoint);
            }

            var grpcCheck = Add(paths.Grpc, SendCheck);
            var gatewayCheck = full ? Add(paths.GatewayProcess, SendCheck) : null;
            var gatewayWithKeyCheck = full ? Add(paths.GatewayWithApiKey, SendCheck) : null;
            if (full)
            {
                Add(paths.Http, mix, checkShare, emptyEndpoint);
                Add(paths.Grpc, mix, checkShare);
                plan.InProcessCheck = inProcessCheck;
                plan.HttpCheck = httpCheck;
                plan.GrpcCheck = grpcCheck;
                plan.GatewayCheck = gatewayCheck;
                plan.GatewayWithKeyCheck = gatewayWithKeyCheck;
            }

            if (Add(paths.Redis, SendCheck) is { } redis)
            {
                plan.RedisBaselines[distribution] = redis;
            }
        }

        if (plan.InProcessCheck is { } inProcess)
        {
            plan.Paced.Add(inProcess with { Pace = new Pace(0.5, "½ its peak", inProcess) });
        }

        if (plan.GrpcCheck is { } grpc)
        {
            plan.Paced.Add(grpc with { Pace = new Pace(0.5, "½ its peak", grpc) });
        }

        if (plan.GatewayCheck is { } gateway)
        {
            plan.Paced.Add(gateway with { Pace = new Pace(0.5, "½ its peak", gateway) });
        }

        if (paths.HotEntity is { } hotPath)
        {
            var rate = Pace.Fixed(linkingRate, "linking events a second");
            var hot = new Scenario(hotPath, LinkingCheck, distributions[0], 1, Pace: rate);
            var linked = paths.InProcessLinked is { } linkedPath ? new Scenario(linkedPath, SendCheck, distributions[0], 1, Pace: rate) : null;
            plan.HotEntity = (hot, linked);
            if (linked is not null)
            {
                plan.Paced.Add(linked);
            }

            plan.Last.Add(hot);
        }

        if (plan.HttpCheck is { } http)
        {
            plan.HttpAtHalfPeak = http with { Pace = new Pace(0.5, "½ its peak", http) };
            plan.Paced.Add(plan.HttpAtHalfPeak);
            if (http.Noop is { } emptyEndpoint)
            {
                // The framework's own tail at the load of the row above: the floor under the HTTP latency target.
                plan.EmptyAtHttpLoad = emptyEndpoint with { Pace = new Pace(0.5, "½ the HTTP check's peak", http) };
                plan.Paced.Add(plan.EmptyAtHttpLoad);
            }

            if (httpNoopCall is { } noopOverHttp)
            {
                plan.HttpNoopAtHttpLoad = noopOverHttp with { Pace = new Pace(0.5, "½ the HTTP check's peak", http) };
                plan.Paced.Add(plan.HttpNoopAtHttpLoad);
            }

            if (plan.RedisBaselines.GetValueOrDefault(distributions[0]) is { } redis)
            {
                var same = new Pace(0.5, "½ the slower of HTTP and Redis", http, redis);
                plan.SameLoad = (http with { Pace = same }, redis with { Pace = same });
                plan.Paced.Add(plan.SameLoad.Value.Http);
                plan.Paced.Add(plan.SameLoad.Value.Redis);
            }
        }

        return plan;
    }
}

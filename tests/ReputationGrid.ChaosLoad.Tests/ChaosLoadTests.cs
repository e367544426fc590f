using System.Net;
using System.Text.Json;

namespace ReputationGrid.ChaosLoad.Tests;

public sealed class ChaosLoadTests
{
    private static readonly string[] Accounts = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"];

    /// <summary>The actions the tests let the load take: fewer than the accounts, so that it is still taking them when stopped.</summary>
    private const int ActionsTaken = 6;

    [Fact]
    public async Task Acknowledged_bans_and_suspensions_that_read_back_are_not_lost()
    {
        var gateway = new FakeGateway { StopAtAction = ActionsTaken + 1 };
        var load = new ChaosLoad(gateway.Client(), Accounts, callers: 2, TimeSpan.FromMilliseconds(1));

        await load.RunAsync(gateway.Stop);
        var lost = await load.ReadBackAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Empty(lost);
        Assert.Empty(load.Contradictions);
        // One action on each account, bans and suspensions alternating, each acknowledged and kept as an answered request.
        Assert.Equal(ActionsTaken, load.AcknowledgedActions.Count);
        Assert.Equal(ActionsTaken / 2, load.AcknowledgedActions.Values.Count(a => a.Action == "ban"));
        Assert.Equal(ActionsTaken / 2, load.AcknowledgedActions.Values.Count(a => a.Action == "suspend"));
        Assert.Equal(ActionsTaken, load.Requests.Count(r => r.Kind == RequestKind.Action && r.Answered));
        Assert.Contains(load.Requests, r => r.Kind == RequestKind.Check && r.Answered);
    }

    [Fact]
    public async Task An_acknowledged_action_that_reads_back_otherwise_or_not_at_all_is_lost()
    {
        var gateway = new FakeGateway { StopAtAction = ActionsTaken + 1 };
        var load = new ChaosLoad(gateway.Client(), Accounts, callers: 1, TimeSpan.FromMilliseconds(1));
        await load.RunAsync(gateway.Stop);
        var forgotten = load.AcknowledgedActions.Keys.Order().First();
        var unreadable = load.AcknowledgedActions.Keys.Order().Last();
        gateway.Forget(forgotten);
        gateway.FailReads(unreadable);

        var lost = await load.ReadBackAsync(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(2, lost.Count);
        Assert.Contains(lost, line => line.StartsWith($"{forgotten}: acknowledged ", StringComparison.Ordinal) && line.EndsWith(", reads allow", StringComparison.Ordinal));
        Assert.Contains(lost, line => line.StartsWith($"{unreadable}: acknowledged ", StringComparison.Ordinal) && line.EndsWith(", reads nothing (no answer)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_check_sent_after_an_action_was_acknowledged_that_answers_otherwise_is_a_contradiction()
    {
        // One ban is acknowledged (later actions fail), and checks keep answering allow for a while after it.
        var gateway = new FakeGateway
        {
            StopWhen = g => g.ActionsTaken >= 3 && g.ChecksOfActedAccounts >= 50 && g.SinceFirstAction > TimeSpan.FromMilliseconds(20),
            ActionsAcknowledged = 1,
            ChecksIgnoreActions = true,
        };
        var load = new ChaosLoad(gateway.Client(), Accounts, callers: 2, TimeSpan.FromMilliseconds(1));

        await load.RunAsync(gateway.Stop);

        var acted = Assert.Single(load.AcknowledgedActions).Key;
        Assert.NotEmpty(load.Contradictions);
        Assert.All(load.Contradictions, line => Assert.Matches($"^{acted}: ban acknowledged at [0-9]+, a check sent at [0-9]+ answered allow$", line));
        Assert.Contains(load.Requests, r => r.Kind == RequestKind.Action && !r.Answered);
    }

    [Fact]
    public async Task Checks_answered_503_and_actions_whose_connection_was_refused_are_failed_requests()
    {
        var gateway = new FakeGateway { StopAtAction = 3, CheckStatus = HttpStatusCode.ServiceUnavailable, RefuseActions = true };
        var load = new ChaosLoad(gateway.Client(), Accounts, callers: 2, TimeSpan.FromMilliseconds(1));

        await load.RunAsync(gateway.Stop);

        Assert.Contains(load.Requests, r => r.Kind == RequestKind.Check);
        Assert.All(load.Requests, r => Assert.False(r.Answered));
        Assert.Equal(2, load.Requests.Count(r => r.Kind == RequestKind.Action));
        Assert.Empty(load.AcknowledgedActions);
    }

    /// <summary>
    /// A gateway in memory: actions are stored and read back, checks answer the account's stored action (or allow).
    /// It stops the load when a request arrives and <see cref="StopWhen"/> holds, or when action number
    /// <see cref="StopAtAction"/> arrives: the load takes actions one after another, so every earlier one is recorded by
    /// then (a request in flight when the load stops is not). Every request completes asynchronously, as over a network.
    /// </summary>
    private sealed class FakeGateway : HttpMessageHandler
    {
        private readonly Dictionary<string, string> _actions = [];
        private readonly HashSet<string> _failingReads = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly System.Diagnostics.Stopwatch _sinceFirstAction = new();

        public CancellationToken Stop => _stop.Token;

        public Func<FakeGateway, bool> StopWhen { get; init; } = _ => false;

        public int StopAtAction { get; init; } = int.MaxValue;

        /// <summary>Actions taken (answered or not).</summary>
        public int ActionsTaken { get; private set; }

        /// <summary>Checks of accounts that have an acknowledged action.</summary>
        public int ChecksOfActedAccounts { get; private set; }

        public TimeSpan SinceFirstAction => _sinceFirstAction.Elapsed;

        /// <summary>Actions beyond this many are answered 503.</summary>
        public int ActionsAcknowledged { get; init; } = int.MaxValue;

        /// <summary>Checks answer allow whatever the account's action.</summary>
        public bool ChecksIgnoreActions { get; init; }

        public HttpStatusCode CheckStatus { get; init; } = HttpStatusCode.OK;

        /// <summary>Actions fail as a refused connection does.</summary>
        public bool RefuseActions { get; init; }

        public HttpClient Client() => new(this) { BaseAddress = new Uri("http://gateway.test") };

        public void Forget(string account)
        {
            lock (_actions)
            {
                _actions.Remove(account);
            }
        }

        public void FailReads(string account)
        {
            lock (_actions)
            {
                _failingReads.Add(account);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            lock (_actions)
            {
                var action = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/actions", StringComparison.Ordinal);
                if (StopWhen(this) || (action && ActionsTaken + 1 >= StopAtAction))
                {
                    _stop.Cancel();
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var path = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            using var body = request.Content is null ? null : JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            lock (_actions)
            {
                switch (request.Method.Method, path)
                {
                    case ("POST", ["v1", "accounts", var account, "actions"]):
                        ActionsTaken++;
                        _sinceFirstAction.Start();
                        if (RefuseActions)
                        {
                            throw new HttpRequestException("Connection refused");
                        }

                        if (ActionsTaken > ActionsAcknowledged)
                        {
                            return Answer(HttpStatusCode.ServiceUnavailable, null);
                        }

                        var taken = body!.RootElement.GetProperty("action").GetString()!;
                        _actions[account] = taken;
                        return Answer(HttpStatusCode.OK, taken);
                    case ("GET", ["v1", "accounts", var account]):
                        return _failingReads.Contains(account)
                            ? Answer(HttpStatusCode.ServiceUnavailable, null)
                            : Answer(HttpStatusCode.OK, _actions.GetValueOrDefault(account, "allow"));
                    case ("POST", ["v1", "decisions", "send"]):
                        var stored = _actions.GetValueOrDefault(body!.RootElement.GetProperty("account").GetString()!);
                        ChecksOfActedAccounts += stored is null ? 0 : 1;
                        return Answer(CheckStatus, ChecksIgnoreActions ? "allow" : stored ?? "allow");
                    default:
                        return Answer(HttpStatusCode.NotFound, null);
                }
            }
        }

        private static HttpResponseMessage Answer(HttpStatusCode status, string? action) => new(status)
        {
            Content = new StringContent(action is null ? "{}" : JsonSerializer.Serialize(new { action }), System.Text.Encoding.UTF8, "application/json"),
        };
    }
}

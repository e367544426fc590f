using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace ReputationGrid.LoadDriver;

/// <summary>
/// Baseline (b), what many teams build instead: a per-account sliding-window counter in Redis, run as one Lua
/// script through StackExchange.Redis, behind an ASP.NET Core minimal API that takes the same send-check request
/// as ReputationGrid's gateway at the same route. It runs in a server process of its own, with its own redis-server.
/// </summary>
internal static class RedisLimiter
{
    /// <summary>Sends allowed per account per window: high enough that the benchmark's accounts stay allowed, as ReputationGrid's do.</summary>
    public const int Limit = 6_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // The sliding-window counter: the previous fixed window's count, weighted by how much of it the sliding
    // window still covers, plus the current one's. Allowed sends are counted; the keys expire after two windows.
    private const string Script = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
        local estimate = previous * (1 - (now % window) / window) + current
        if estimate >= limit then
          return 0
        end
        redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], window * 2)
        return 1
        """;

    /// <summary>The limiter's web app; <c>Limiter:Redis</c> in <paramref name="args"/> is the StackExchange.Redis configuration string.</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var redis = ConnectionMultiplexer.Connect(builder.Configuration["Limiter:Redis"] ?? throw new ArgumentException("Limiter:Redis is required.", nameof(args)));
        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(redis.Dispose);
        app.MapPost("/v1/decisions/send", new Endpoint(redis.GetDatabase()).HandleAsync);
        return app;
    }

    /// <summary>
    /// Made once with what it needs and writing its answer itself, as the gateway's send check is: a handler that
    /// takes services as parameters or returns an <see cref="IResult"/> opens a dependency-injection scope per request.
    /// </summary>
    private sealed class Endpoint(IDatabase redis)
    {
        public async Task HandleAsync(HttpContext context)
        {
            var (account, problem) = await SendCheckRequest.ReadAccountAsync(context.Request);
            if (account is null)
            {
                await problem!.ExecuteAsync(context);
                return;
            }

            var windowMs = (long)Window.TotalMilliseconds;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var current = now / windowMs;
            var allowed = (long)await redis.ScriptEvaluateAsync(
                Script,
                [$"limit:{{{account}}}:{current}", $"limit:{{{account}}}:{current - 1}"],
                [now, windowMs, Limit]) == 1;
            var answer = allowed
                ? new LimiterDecision(account, "allow", null)
                : new LimiterDecision(account, "throttle", (int)Math.Ceiling((windowMs - now % windowMs) / 1000.0));
            await context.Response.WriteAsJsonAsync(answer, LimiterJsonContext.Default.LimiterDecision);
        }
    }
}

/// <summary>
/// The HTTP path's floor, its counterpart of the no-op grain call: an ASP.NET Core minimal API that takes the same
/// send-check request at the same route, parses it as the Redis limiter does, and answers allow without deciding
/// anything, written as the limiter and the gateway write their answers. Neither ReputationGrid's gateway nor the
/// limiter can be faster than this behind the same framework.
/// </summary>
internal static class EmptyEndpoint
{
    public static WebApplication Create(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapPost("/v1/decisions/send", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var (account, problem) = await SendCheckRequest.ReadAccountAsync(context.Request);
        if (account is null)
        {
            await problem!.ExecuteAsync(context);
            return;
        }

        await context.Response.WriteAsJsonAsync(new LimiterDecision(account, "allow", null), LimiterJsonContext.Default.LimiterDecision);
    }
}

/// <summary>The account of a send-check request body, or the problem with the body.</summary>
internal static class SendCheckRequest
{
    public static async Task<(string? Account, IResult? Problem)> ReadAccountAsync(HttpRequest request)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var account = body.RootElement.TryGetProperty("account", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return string.IsNullOrEmpty(account)
                ? (null, Results.Problem(title: "account is required.", statusCode: StatusCodes.Status400BadRequest))
                : (account, null);
        }
        catch (JsonException e)
        {
            return (null, Results.Problem(title: "The body is not valid JSON.", detail: e.Message, statusCode: StatusCodes.Status400BadRequest));
        }
    }
}

internal sealed record LimiterDecision(
    string Account,
    string Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LimiterDecision))]
internal sealed partial class LimiterJsonContext : JsonSerializerContext;

/// <summary>A <c>redis-server</c> started on a loopback port with persistence off, stopped when disposed.</summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync(string executable, int port)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run '{executable}' ({e.Message}). benchmarks/run.sh installs Debian's redis-server; or pass --redis-server PATH.", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServerProcess(process, port);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port}.", e);
            }
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

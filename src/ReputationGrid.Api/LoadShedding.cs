using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ReputationGrid.Api.Grpc;

namespace ReputationGrid.Api;

/// <summary>
/// The gateway's load shedding: at most <see cref="GatewayOptions.MaxConcurrentRequests"/> requests are served at once
/// and <see cref="GatewayOptions.MaxQueuedRequests"/> more wait, oldest first; beyond them a request is answered at
/// once with 503 and <c>Retry-After</c> (gRPC: <c>UNAVAILABLE</c> and a <c>retry-after-seconds</c> trailer). Health
/// probes are never shed. A request's body is read whole (<see cref="RequestBody.BufferAsync"/>) before it asks for a
/// slot: a client trickling its body in holds a connection (bounded by Kestrel's limits) but never a slot, so slow
/// bodies cannot starve well-behaved callers. It uses a <see cref="ConcurrencyLimiter"/> directly: ASP.NET Core's rate-limiting middleware,
/// with its partitioned global and endpoint limiters, cost the HTTP send check about 5 % of its throughput.
/// </summary>
internal sealed class LoadShedding : IDisposable
{
    private const string Detail = "The gateway is at its limit of requests in flight. Retry shortly.";

    private readonly ConcurrencyLimiter _limiter;
    private readonly long _maxBodyBytes;
    private readonly int _maxQueued;
    private readonly UpDownCounter<long> _active;
    private readonly UpDownCounter<long> _waiting;
    private readonly Counter<long> _shed;

    public LoadShedding(IOptions<GatewayOptions> options, IMeterFactory meters)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentRequests,
            QueueLimit = options.Value.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _maxBodyBytes = options.Value.MaxRequestBodyBytes;
        _maxQueued = options.Value.MaxQueuedRequests;
        var meter = meters.Create(GatewayExtensions.MeterName);
        _active = meter.CreateUpDownCounter<long>(
            "reputationgrid.gateway.requests.active", "{request}", "Requests being served by this gateway (at most Gateway:MaxConcurrentRequests).");
        _waiting = meter.CreateUpDownCounter<long>(
            "reputationgrid.gateway.requests.waiting", "{request}", "Requests waiting for one of this gateway's slots (at most Gateway:MaxQueuedRequests).");
        _shed = meter.CreateCounter<long>(
            "reputationgrid.gateway.requests.shed", "{request}", "Requests turned away because this gateway was at its limits of requests served and waiting.");
    }

    /// <summary>True while every slot is taken and the queue is full: new requests are being shed.</summary>
    public bool IsSaturated => _limiter.GetStatistics() is { CurrentAvailablePermits: 0 } statistics && statistics.CurrentQueuedCount >= _maxQueued;

    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        context.Request.Path.StartsWithSegments("/healthz") ? next(context) : ReadThenServeAsync(context, next);

    private async Task ReadThenServeAsync(HttpContext context, RequestDelegate next)
    {
        var (proceed, body) = await RequestBody.BufferAsync(context, _maxBodyBytes);
        if (!proceed)
        {
            return;
        }

        using (body)
        {
            // One async state per request when a slot is free, as it almost always is: waiting is its own method.
            var lease = _limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                if (await WaitForSlotAsync(context) is not { } queued)
                {
                    return;
                }

                lease = queued;
            }

            _active.Add(1);
            try
            {
                await next(context);
            }
            finally
            {
                _active.Add(-1);
                lease.Dispose();
            }
        }
    }

    /// <summary>A slot freed within the queue's limit; null when the request was shed (and answered) or its client left.</summary>
    private async Task<RateLimitLease?> WaitForSlotAsync(HttpContext context)
    {
        RateLimitLease lease;
        _waiting.Add(1);
        try
        {
            lease = await _limiter.AcquireAsync(1, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return null; // the client left while waiting: nobody to answer
        }
        finally
        {
            _waiting.Add(-1);
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        _shed.Add(1);
        if (!GrpcFailures.TryWriteUnavailable(context, Detail))
        {
            await GrainFailures.Unavailable(context, Detail).ExecuteAsync(context);
        }

        return null;
    }

    public void Dispose() => _limiter.Dispose();
}

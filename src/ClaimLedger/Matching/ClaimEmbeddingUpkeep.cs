using ClaimLedger.Common;
using ClaimLedger.Operations;
using ClaimLedger.Seeds;
using MediatR;
using Microsoft.Extensions.Logging;

namespace ClaimLedger.Matching;

/// <summary>
/// Keeps the desk claims' embeddings up to date with their statements, whichever entry point wrote them. A claim write
/// only hands the claim to <see cref="ClaimEmbeddingQueue"/> and returns: embedding a statement takes longer than the
/// write itself, so it happens after the response, off the request path. A seed import and <c>db rebuild</c> are batch
/// work whose caller expects the result complete, so they embed before they return (a rebuild embeds everything again).
/// </summary>
public sealed class ClaimEmbeddingUpkeep<TRequest, TResponse>(ClaimEmbeddingQueue queue, EmbedClaims.Handler embed) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly HashSet<string> StatementEvents = [nameof(Claims.ClaimRecorded), nameof(Claims.ClaimRecordAmended)];

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        switch (request, response)
        {
            // Only recording a claim and amending its record can change a statement; the embedding step still skips claims
            // whose statement it already has (an amendment of another field).
            case (IClaimWrite { Context.Import: null }, WriteResult written) when written.Events.Any(StatementEvents.Contains):
                queue.Enqueue(written.ClaimId);
                break;
            case (ImportSeeds.Command, _):
                await embed.Handle(new EmbedClaims.Command(), cancellationToken);
                break;
            case (RebuildReadModels.Command, _):
                await embed.Handle(new EmbedClaims.Command(Everything: true), cancellationToken);
                break;
        }

        return response;
    }
}

/// <summary>
/// Claims waiting to be embedded, and the one background loop that embeds them, a batch at a time. Matching waits
/// only for what was queued before the query (<see cref="CaughtUpAsync"/>), so a claim is matchable as soon as its
/// write has returned; the first wait in a process also embeds whatever an earlier process left stale (stopped before
/// it got there, say). Disposing waits for the queue to drain, so a command-line write embeds before the process ends.
/// A failed pass is logged and its claims stay stale for the next pass, the next process, or <c>db rebuild</c>.
/// <para>
/// Embedding a statement costs more CPU than writing it, so the loop keeps out of the writes' way: it starts a pass once
/// no claim has been queued for <see cref="Settle"/>, or once the oldest waiting claim has waited <see cref="MaxDelay"/>
/// while writes keep coming, and a pass runs on one core. A match that waits on the queue starts the pass at once.
/// </para>
/// </summary>
public sealed class ClaimEmbeddingQueue(EmbedClaims.Handler embed, ILogger<ClaimEmbeddingQueue>? logger = null, TimeProvider? clock = null) : IAsyncDisposable
{
    /// <summary>How long writes must pause before a pass starts.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest a queued claim waits for its pass to start while writes never pause.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _pending = [];
    private readonly List<(long Ticket, TaskCompletionSource Done)> _waiters = [];
    private bool _sweepStale = true, _running, _draining;
    private long _queued, _done, _firstQueuedAt, _lastQueuedAt;
    private int _holds;
    private Task _worker = Task.CompletedTask;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Enqueue(string claimId)
    {
        lock (_gate)
        {
            _lastQueuedAt = _clock.GetTimestamp();
            if (_pending.Count == 0)
            {
                _firstQueuedAt = _lastQueuedAt;
            }

            _pending.Add(claimId);
            _queued++;
            StartLocked();
        }
    }

    /// <summary>Completes once every claim queued before the call is embedded (or its pass failed and was logged).</summary>
    public Task CaughtUpAsync()
    {
        lock (_gate)
        {
            if (_sweepStale)
            {
                _queued++;
                StartLocked();
            }

            if (_done >= _queued)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_queued, done));
            _wake.TrySetResult();
            return done.Task;
        }
    }

    /// <summary>How many claims wait for a pass.</summary>
    internal int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Holds the background loop until disposed, so a test can see a write return before its claim is embedded.</summary>
    internal IDisposable Hold()
    {
        lock (_gate)
        {
            _holds++;
        }

        return new Release(this);
    }

    private void StartLocked()
    {
        if (!_running && _holds == 0)
        {
            _running = true;
            _worker = Task.Run(DrainAsync);
        }
    }

    /// <summary>How long the next pass should still wait for writes to pause; zero when it should start now.</summary>
    private TimeSpan UntilPassLocked()
    {
        if (_sweepStale || _draining || _waiters.Count > 0)
        {
            return TimeSpan.Zero;
        }

        var settled = Settle - _clock.GetElapsedTime(_lastQueuedAt);
        var bound = MaxDelay - _clock.GetElapsedTime(_firstQueuedAt);
        var wait = settled < bound ? settled : bound;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            string[] claims;
            bool sweep;
            long ticket;
            Task woken;
            TimeSpan wait;
            lock (_gate)
            {
                if ((_pending.Count == 0 && !_sweepStale) || _holds > 0)
                {
                    _running = false;
                    if (_holds == 0)
                    {
                        Complete(_queued);
                    }

                    return;
                }

                wait = UntilPassLocked();
                if (_wake.Task.IsCompleted)
                {
                    _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                woken = _wake.Task;
                (claims, sweep, ticket) = ([.. _pending], _sweepStale, _queued);
                if (wait == TimeSpan.Zero)
                {
                    _pending.Clear();
                    _sweepStale = false;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                // Woken early by a match or by disposal; otherwise look again once the pause or the bound is due.
                await Task.WhenAny(woken, Task.Delay(wait, _clock));
                continue;
            }

            try
            {
                await embed.Handle(sweep ? new EmbedClaims.Command(Background: true) : new EmbedClaims.Command(claims, Background: true), CancellationToken.None);
            }
            catch (Exception e)
            {
                logger?.LogError(e, "Embedding {Count} claims for matching failed; they stay stale until the next write, the next process or db rebuild", sweep ? "all stale" : claims.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            lock (_gate)
            {
                Complete(ticket);
            }
        }
    }

    private void Complete(long ticket)
    {
        _done = Math.Max(_done, ticket);
        foreach (var waiter in _waiters.Where(w => w.Ticket <= _done).ToList())
        {
            waiter.Done.TrySetResult();
            _waiters.Remove(waiter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task worker;
        lock (_gate)
        {
            _draining = true;
            _wake.TrySetResult();
            worker = _worker;
        }

        await worker;
    }

    private sealed class Release(ClaimEmbeddingQueue queue) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (queue._gate)
                {
                    queue._holds--;
                    if (queue._pending.Count > 0 || queue._done < queue._queued)
                    {
                        queue.StartLocked();
                    }
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using Hangfire.Server;
using HotlineQA.Pipeline;

namespace HotlineQA.IntegrationTests.Pipeline;

/// <summary>
/// A real Hangfire job through the real <see cref="StepRunner"/> (the audio step's statuses) whose work throws a
/// transient error the first <see cref="Failures"/> tries for a call (a disk or network hiccup), then succeeds with an
/// empty output: shows Hangfire owning the retries.
/// </summary>
public sealed class FlakyJob(StepRunner runner)
{
    /// <summary>By call key (unique per test: call ids repeat across the tests' databases).</summary>
    public static readonly ConcurrentDictionary<string, int> Failures = new();
    public static readonly ConcurrentDictionary<string, int> Tries = new();

    public Task<string?> RunAsync(long callId, PerformContext? context, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Audio, (call, _) =>
        {
            var n = Tries.AddOrUpdate(call.CallKey, 1, (_, t) => t + 1);
            if (n <= Failures.GetValueOrDefault(call.CallKey)) throw new IOException("disk hiccup");
            return Task.FromResult<StepOutput>((_, _, _) => Task.CompletedTask);
        }, context, ct);
}

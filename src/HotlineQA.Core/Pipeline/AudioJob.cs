using System.Text.Json;
using Hangfire;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

/// <summary>Pipeline step 1: decode the recording and store its speech/silence/overlap timeline.</summary>
public sealed class AudioJob(StepRunner runner, AudioAnalyzer analyzer, CallStore calls)
{
    /// <summary>Hangfire entry point. Retries are the pipeline's own (bounded, recorded on the call), not Hangfire's.</summary>
    [AutomaticRetry(Attempts = 0)]
    public Task<string?> RunAsync(long callId, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Audio, async (call, token) =>
        {
            var info = new FileInfo(call.SourcePath);
            if (!info.Exists) throw new BadInputException($"{call.SourcePath}: the recording is gone (moved or deleted after ingest)");
            if (info.Length == 0) throw new BadInputException($"{call.SourcePath}: the file is empty (0 bytes)");
            var analysis = await analyzer.AnalyzeAsync(call.SourcePath, token);
            var json = JsonSerializer.Serialize(analysis, HotlineJson.Options);
            return (c, tx, t) => calls.SetAudioAsync(c, tx, call.Id, json, analysis.DurationSec, analysis.Channels, t);
        }, ct);
}

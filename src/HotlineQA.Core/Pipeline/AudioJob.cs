using System.Text.Json;
using Hangfire.Server;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Storage;

namespace HotlineQA.Pipeline;

/// <summary>
/// Pipeline step 1: decode the recording once (with the channel mapping of the call's source) and store its
/// speech/silence/overlap timeline; a call that still needs Whisper keeps the decoded PCM for the transcribe step.
/// </summary>
public sealed class AudioJob(StepRunner runner, AudioAnalyzer analyzer, CallStore calls, PcmScratch scratch)
{
    /// <summary>Hangfire entry point (retries, per-call lock and Failed state: see <see cref="StepRunner"/>).</summary>
    public Task<string?> RunAsync(long callId, PerformContext? context, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Audio, async (call, token) =>
        {
            var info = new FileInfo(call.SourcePath);
            if (!info.Exists) throw new BadInputException($"{call.SourcePath}: the recording is gone (moved or deleted after ingest)");
            if (info.Length == 0) throw new BadInputException($"{call.SourcePath}: the file is empty (0 bytes)");
            var mapping = analyzer.MappingOf(call.Source);
            AudioAnalysis analysis;
            if (call.SidecarPath is null)
            {
                // Whisper will need the PCM: keep it rather than decoding the recording again per channel.
                await using (var pcm = scratch.Create(call.Id))
                    analysis = await analyzer.AnalyzeAsync(call.SourcePath, mapping, pcm, token);
                scratch.Commit(call.Id);
            }
            else analysis = await analyzer.AnalyzeAsync(call.SourcePath, mapping, token);
            var json = JsonSerializer.Serialize(analysis, HotlineJson.Options);
            return (c, tx, t) => calls.SetAudioAsync(c, tx, call.Id, json, analysis.DurationSec, analysis.Channels, t);
        }, context, ct);

    /// <summary>Direct call (tests, tools): the same step outside Hangfire.</summary>
    public Task<string?> RunAsync(long callId, CancellationToken ct) => RunAsync(callId, null, ct);
}

using System.Text.Json;
using Hangfire;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Storage;
using HotlineQA.Transcription;
using Microsoft.Extensions.Options;

namespace HotlineQA.Pipeline;

/// <summary>Pipeline step 2: the sidecar transcript if the recording came with one, else Whisper when its model is there.</summary>
public sealed class TranscribeJob(StepRunner runner, WhisperTranscriber whisper, CallStore calls, UtteranceStore utterances)
{
    [AutomaticRetry(Attempts = 0)]
    public Task<string?> RunAsync(long callId, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Transcribe, async (call, token) =>
        {
            var transcript = await TranscribeAsync(call, token);
            return async (c, tx, t) =>
            {
                await utterances.ReplaceAsync(c, tx, call.Id, transcript.Utterances, t);
                await calls.FillShapeAsync(c, tx, call.Id, transcript.EffectiveDuration, transcript.Channels, t);
            };
        }, ct);

    private async Task<Transcript> TranscribeAsync(CallRow call, CancellationToken ct)
    {
        if (call.SidecarPath is not null)
        {
            if (!File.Exists(call.SidecarPath))
                throw new BadInputException($"{call.SidecarPath}: the sidecar transcript registered with this call is gone");
            return Transcript.Load(call.SidecarPath);
        }
        if (whisper.Unavailable is not null)
            throw new BadInputException(
                $"no transcript and no Whisper model at {whisper.ModelFolder}; run `hotlineqa models pull whisper-base` ({whisper.Unavailable})");
        var timeline = call.AudioJson is null ? null : JsonSerializer.Deserialize<AudioAnalysis>(call.AudioJson, HotlineJson.Options);
        var t = await whisper.TranscribeAsync(call.SourcePath, timeline, ct);
        t.Validate(call.SourcePath);
        return t;
    }
}

using Hangfire.Server;
using HotlineQA.Audio;
using HotlineQA.Common;
using HotlineQA.Storage;
using HotlineQA.Transcription;

namespace HotlineQA.Pipeline;

/// <summary>
/// Pipeline step 2: the sidecar transcript if the recording came with one, else Whisper when its model is there — fed
/// from the PCM the audio step decoded (<see cref="PcmScratch"/>), with the channel mapping of the call's source.
/// </summary>
public sealed class TranscribeJob(StepRunner runner, WhisperTranscriber whisper, AudioAnalyzer analyzer, CallStore calls, UtteranceStore utterances, PcmScratch scratch)
{
    /// <summary>Hangfire entry point (retries, per-call lock and Failed state: see <see cref="StepRunner"/>).</summary>
    public Task<string?> RunAsync(long callId, PerformContext? context, CancellationToken ct) =>
        runner.RunAsync(callId, PipelineStep.Transcribe, async (call, token) =>
        {
            var transcript = await TranscribeAsync(call, token);
            return async (c, tx, t) =>
            {
                await utterances.ReplaceAsync(c, tx, call.Id, transcript.Utterances, t);
                await calls.FillShapeAsync(c, tx, call.Id, transcript.EffectiveDuration, transcript.Channels, t);
            };
        }, context, ct);

    /// <summary>Direct call (tests, tools): the same step outside Hangfire.</summary>
    public Task<string?> RunAsync(long callId, CancellationToken ct) => RunAsync(callId, null, ct);

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
        var timeline = AudioTimeline.Parse(call.AudioJson);
        var mapping = analyzer.MappingOf(call.Source);
        Transcript t;
        if (timeline is not null && scratch.Exists(call.Id))
        {
            var speakers = analyzer.SpeakersFor(timeline.Channels, mapping, call.SourcePath);
            var channels = new List<ChannelAudio>();
            for (var i = 0; i < speakers.Count; i++)
            {
                var speaker = speakers[i];
                if (speaker.Length == 0) continue;
                // Mono: every speech region is on the one channel, whatever its label.
                var regions = timeline.Speech.Where(s => speakers.Count == 1 || s.Speaker == speaker).Select(s => (s.Start, s.End)).ToList();
                var channel = i;
                channels.Add(new ChannelAudio(speaker, regions, c => scratch.ReadChannelAsync(call.Id, channel, timeline.Channels, c)));
            }
            t = await whisper.TranscribeChannelsAsync(call.CallKey, channels, timeline.DurationSec, ct) with { Channels = timeline.Channels };
        }
        else
        {
            // The audio step ran on another machine (its scratch file is not here): decode here.
            t = await whisper.TranscribeAsync(call.SourcePath, timeline, mapping, ct);
        }
        t.Validate(call.SourcePath);
        scratch.Delete(call.Id);
        return t;
    }
}

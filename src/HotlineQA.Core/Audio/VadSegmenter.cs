namespace HotlineQA.Audio;

/// <summary>
/// Turns a stream of per-window speech probabilities into speech segments (in samples), with the hysteresis of
/// Silero's reference post-processing: start at <c>threshold</c>, end after <c>minSilence</c> below
/// <c>negThreshold</c>, drop segments shorter than <c>minSpeech</c>, then pad. Streaming: one probability at a time.
/// </summary>
internal sealed class VadSegmenter(VadOptions options, int sampleRate, int window)
{
    private readonly float _threshold = options.Threshold;
    private readonly float _negThreshold = options.EffectiveNegThreshold;
    private readonly long _minSpeech = (long)options.MinSpeechMs * sampleRate / 1000;
    private readonly long _minSilence = (long)options.MinSilenceMs * sampleRate / 1000;
    private readonly long _pad = (long)options.SpeechPadMs * sampleRate / 1000;
    private readonly List<(long Start, long End)> _raw = [];
    private long _index;
    private bool _triggered;
    private long _start;
    private long _tempEnd = -1;

    public void Push(float probability)
    {
        var at = _index++ * window;
        if (probability >= _threshold && _tempEnd >= 0) _tempEnd = -1;
        if (probability >= _threshold && !_triggered)
        {
            _triggered = true;
            _start = at;
            return;
        }
        if (probability < _negThreshold && _triggered)
        {
            if (_tempEnd < 0) _tempEnd = at;
            if (at - _tempEnd < _minSilence) return;
            if (_tempEnd - _start > _minSpeech) _raw.Add((_start, _tempEnd));
            _triggered = false;
            _tempEnd = -1;
        }
    }

    /// <summary>Closes an open segment at the end of the audio and returns the padded segments.</summary>
    public List<(long Start, long End)> Finish(long totalSamples)
    {
        if (_triggered && totalSamples - _start > _minSpeech) _raw.Add((_start, totalSamples));
        _triggered = false;
        var result = new List<(long Start, long End)>(_raw.Count);
        var nextStart = _raw.Count > 0 ? Math.Max(0, _raw[0].Start - _pad) : 0;
        for (var i = 0; i < _raw.Count; i++)
        {
            var start = nextStart;
            var end = Math.Min(totalSamples, _raw[i].End + _pad);
            if (i + 1 < _raw.Count)
            {
                // A gap too short for two pads is split between the neighbours, so segments never overlap.
                var gap = _raw[i + 1].Start - _raw[i].End;
                if (gap < 2 * _pad)
                {
                    end = _raw[i].End + gap / 2;
                    nextStart = Math.Max(0, _raw[i + 1].Start - gap / 2);
                }
                else
                {
                    nextStart = Math.Max(0, _raw[i + 1].Start - _pad);
                }
            }
            result.Add((start, end));
        }
        return result;
    }
}

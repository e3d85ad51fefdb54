namespace HotlineQA.Audio;

/// <summary>
/// The VAD of one call: consumes interleaved 16 kHz PCM block by block, runs the model on every mapped channel's
/// 512-sample windows (batched across channels), and keeps per window only two floats (energy, pitch) for the
/// segment statistics — a few MB for a 3-hour call instead of the PCM itself.
/// </summary>
internal sealed class VadRun : IDisposable
{
    private const int Window = SileroVadModel.Window;
    // After this many gated windows in a row (0.5 s) the model starts afresh, as at the start of a recording.
    private const int ResetAfterGatedWindows = 16;
    private const double QuietAboveFloor = 3.98; // +6 dB
    private const int MaxQuietTrimWindows = 12;    // 0.38 s
    private const int MaxDrownedTrimWindows = 63;  // 2 s

    private readonly SileroVadModel _model;
    private readonly VadOptions _options;
    private readonly Track[] _tracks;
    private Track[] _inUse;
    private readonly SileroVadModel.Batch?[] _batches;
    private readonly float _gate;
    private readonly float[] _pitchScratch = new float[Window];
    private readonly float[] _pitchFrame = new float[2 * Window];
    private readonly int[] _active;
    private int _fill;

    public VadRun(SileroVadModel model, VadOptions options, IReadOnlyList<string> channelSpeakers)
    {
        _model = model;
        _options = options;
        _tracks = channelSpeakers
            .Select((speaker, channel) => (speaker, channel))
            .Where(x => x.speaker.Length > 0)
            .Select(x => new Track(x.channel, x.speaker, model.Context, new VadSegmenter(options, AudioDecoder.SampleRate, Window)))
            .ToArray();
        _inUse = _tracks;
        _batches = new SileroVadModel.Batch?[_tracks.Length + 1];
        _active = new int[_tracks.Length];
        _gate = (float)Math.Pow(10, options.EnergyGateDbfs / 10);
    }

    /// <summary>Channel-windows the model ran on, and those the energy gate settled without it.</summary>
    public long ModelWindows { get; private set; }

    public long GatedWindows { get; private set; }

    public void Feed(ReadOnlySpan<float> interleaved, int channels)
    {
        var frames = interleaved.Length / channels;
        var f = 0;
        while (f < frames)
        {
            var take = Math.Min(Window - _fill, frames - f);
            foreach (var t in _tracks)
            {
                var dst = t.Window.AsSpan(_fill, take);
                for (int i = 0, src = f * channels + t.Channel; i < take; i++, src += channels) dst[i] = interleaved[src];
            }
            _fill += take;
            f += take;
            if (_fill == Window)
            {
                ProcessWindow();
                _fill = 0;
            }
        }
    }

    public List<SpeechSegment> Finish(long totalFrames)
    {
        if (_fill > 0)
        {
            // The last partial window is zero-padded, as the reference implementation does.
            foreach (var t in _tracks) Array.Clear(t.Window, _fill, Window - _fill);
            ProcessWindow();
            _fill = 0;
        }
        if (SameAudioOnBothChannels())
        {
            // A mono call saved as stereo: two "speakers" would overlap all the time. One channel, roles unknown.
            DuplicateChannels = true;
            _inUse = [_tracks[0].AsSpeaker(AudioAnalyzer.Unknown)];
        }
        var tracks = _inUse;
        var raw = new Dictionary<Track, List<(long Start, long End)>>();
        foreach (var t in tracks)
        {
            var quiet = NoiseFloor(t.Energy) * QuietAboveFloor;
            raw[t] = t.Segmenter.Finish(totalFrames).Select(s => Trim(t, s.Start, s.End, quiet)).Where(s => s.End > s.Start).ToList();
        }
        var segments = new List<SpeechSegment>();
        foreach (var group in tracks.GroupBy(t => t.Speaker))
        {
            var perSpeaker = new List<SpeechSegment>();
            foreach (var t in group)
                foreach (var (start, end) in raw[t])
                    if (!IsCrosstalk(t, start, end, raw)) perSpeaker.Add(Describe(t, start, end));
            segments.AddRange(MergeSameSpeaker(perSpeaker));
        }
        return [.. segments.OrderBy(s => s.Start).ThenBy(s => s.Speaker, StringComparer.Ordinal)];
    }

    /// <summary>Set by <see cref="Finish"/> when a stereo file carries the same audio on both channels.</summary>
    public bool DuplicateChannels { get; private set; }

    public void Dispose()
    {
        foreach (var b in _batches) b?.Dispose();
    }

    // Two mapped channels whose window energies agree within 1 dB nearly everywhere that is not digital silence.
    private bool SameAudioOnBothChannels()
    {
        if (_tracks.Length != 2 || _tracks[0].Speaker == _tracks[1].Speaker) return false;
        var (a, b) = (_tracks[0].Energy, _tracks[1].Energy);
        long audible = 0, same = 0;
        for (var w = 0; w < a.Count; w++)
        {
            if (a[w] < _gate && b[w] < _gate) continue;
            audible++;
            if (a[w] > 0 && b[w] > 0 && Math.Abs(Math.Log10(a[w] / b[w])) <= 0.1) same++;
        }
        return audible >= 32 && same >= 0.95 * audible;
    }

    private void ProcessWindow()
    {
        var n = 0;
        for (var k = 0; k < _tracks.Length; k++)
        {
            var t = _tracks[k];
            var energy = SignalFeatures.MeanSquare(t.Window);
            t.Energy.Add(energy);
            t.Probability = 0;
            if (energy < _gate)
            {
                // Digital silence: no need to ask the model; its context is (near) zeros as well.
                if (++t.GatedRun >= ResetAfterGatedWindows) t.Reset();
                else t.Window.AsSpan(Window - t.Context.Length).CopyTo(t.Context);
                continue;
            }
            t.GatedRun = 0;
            _active[n++] = k;
        }
        if (n > 0) RunModel(n);
        ModelWindows += n;
        GatedWindows += _tracks.Length - n;
        foreach (var t in _tracks)
        {
            t.Segmenter.Push(t.Probability);
            var pitch = 0f;
            if (t.Probability >= _options.EffectiveNegThreshold)
            {
                t.Previous.CopyTo(_pitchFrame, 0);
                t.Window.CopyTo(_pitchFrame, Window);
                pitch = SignalFeatures.Pitch(_pitchFrame, _pitchScratch);
            }
            t.Pitch.Add(pitch);
            (t.Previous, t.Window) = (t.Window, t.Previous);
        }
    }

    private void RunModel(int n)
    {
        var batch = _batches[n] ??= _model.CreateBatch(n);
        var ctx = _model.Context;
        var row = Window + ctx;
        for (var b = 0; b < n; b++)
        {
            var t = _tracks[_active[b]];
            t.Context.CopyTo(batch.Input, b * row);
            t.Window.CopyTo(batch.Input, b * row + ctx);
            Array.Copy(t.State, 0, batch.State, b * 128, 128);
            Array.Copy(t.State, 128, batch.State, (n + b) * 128, 128);
        }
        batch.Run();
        for (var b = 0; b < n; b++)
        {
            var t = _tracks[_active[b]];
            t.Probability = batch.Output[b];
            Array.Copy(batch.StateOut, b * 128, t.State, 0, 128);
            Array.Copy(batch.StateOut, (n + b) * 128, t.State, 128, 128);
            t.Window.AsSpan(Window - ctx).CopyTo(t.Context);
        }
    }

    /// <summary>
    /// Silero's probability decays slowly after speech in line noise, so ends come 0.1–0.25 s late; and echo of the
    /// other side just before or after a turn extends it. Edge windows that are no louder than the channel's noise
    /// floor (+6 dB, tails only, at most 0.38 s) or are drowned by another speaker's channel (at most 2 s) are cut,
    /// keeping the speech pad; a segment left shorter than the minimum speech length is dropped.
    /// </summary>
    private (long Start, long End) Trim(Track t, long start, long end, double quiet)
    {
        var pad = (long)_options.SpeechPadMs * AudioDecoder.SampleRate / 1000;
        var minSpeech = (long)_options.MinSpeechMs * AudioDecoder.SampleRate / 1000;
        var w = (int)Math.Min(t.Energy.Count - 1, (end - pad - 1) / Window);
        var trimmed = 0;
        while (w >= 0 && (long)w * Window >= start
               && (t.Energy[w] <= quiet && trimmed < MaxQuietTrimWindows || Drowned(t, w) && trimmed < MaxDrownedTrimWindows))
        {
            w--;
            trimmed++;
        }
        if (trimmed > 0) end = Math.Min(end, (long)(w + 1) * Window + pad);
        w = (int)((start + pad) / Window);
        trimmed = 0;
        while (w < t.Energy.Count && (long)(w + 1) * Window <= end && trimmed < MaxDrownedTrimWindows && Drowned(t, w))
        {
            w++;
            trimmed++;
        }
        if (trimmed > 0) start = Math.Max(start, (long)w * Window - pad);
        // What is left after cutting noise and echo must still be long enough to count as speech.
        return end - start - 2 * pad < minSpeech ? (start, start) : (start, end);
    }

    // Compared over ±2 windows (±64 ms): echo arrives a little late and syllables dip, window by window.
    private bool Drowned(Track t, int w)
    {
        if (_options.CrosstalkMarginDb <= 0) return false;
        var from = Math.Max(0, w - 2);
        var to = Math.Min(t.Energy.Count - 1, w + 2);
        double own = 0;
        for (var i = from; i <= to; i++) own += t.Energy[i];
        var limit = own * Math.Pow(10, _options.CrosstalkMarginDb / 10);
        foreach (var other in _inUse)
        {
            if (other.Speaker == t.Speaker) continue;
            double theirs = 0;
            for (var i = from; i <= to; i++) theirs += other.Energy[i];
            if (theirs >= limit) return true;
        }
        return false;
    }

    /// <summary>
    /// Stereo recorders pick up each side faintly on the other channel (line echo, crosstalk); Silero hears that as
    /// speech. A segment is taken for crosstalk when at least half of it lies inside another speaker's speech and
    /// that channel is <see cref="VadOptions.CrosstalkMarginDb"/> louder over the segment. A real interruption is
    /// about as loud on its own channel as the speech it interrupts, so it stays.
    /// </summary>
    private bool IsCrosstalk(Track t, long start, long end, Dictionary<Track, List<(long Start, long End)>> raw)
    {
        if (_options.CrosstalkMarginDb <= 0) return false;
        var first = (int)(start / Window);
        var last = (int)Math.Min(t.Energy.Count - 1, (end - 1) / Window);
        foreach (var other in _inUse)
        {
            if (other.Speaker == t.Speaker) continue;
            var inside = raw[other].Sum(s => Math.Max(0, Math.Min(end, s.End) - Math.Max(start, s.Start)));
            if (inside * 2 < end - start) continue;
            double own = 0, theirs = 0;
            var drowned = 0;
            for (var w = first; w <= last; w++)
            {
                own += t.Energy[w];
                theirs += other.Energy[w];
                if (Drowned(t, w)) drowned++;
            }
            if (theirs >= own * Math.Pow(10, _options.CrosstalkMarginDb / 10)) return true;
            // Or most of it, window by window: the other side's syllable gaps let the sums come closer.
            if (drowned >= 0.6 * (last - first + 1)) return true;
        }
        return false;
    }

    // The 10th percentile of window energies: the level of the line when nobody on this channel speaks.
    private static double NoiseFloor(ChunkedFloats energy)
    {
        if (energy.Count == 0) return 0;
        var histogram = new int[121];
        for (var i = 0; i < energy.Count; i++)
            histogram[Math.Clamp((int)Math.Round(-SignalFeatures.ToDbfs(energy[i])), 0, 120)]++;
        var seen = 0;
        for (var db = 120; db >= 0; db--)
        {
            seen += histogram[db];
            if (seen >= energy.Count / 10) return Math.Pow(10, -db / 10.0);
        }
        return 1;
    }

    private static SpeechSegment Describe(Track t, long start, long end)
    {
        var first = (int)(start / Window);
        var last = (int)Math.Min(t.Energy.Count - 1, (end - 1) / Window);
        double energy = 0;
        var pitches = new List<float>();
        for (var w = first; w <= last; w++)
        {
            energy += t.Energy[w];
            if (t.Pitch[w] > 0) pitches.Add(t.Pitch[w]);
        }
        var count = Math.Max(1, last - first + 1);
        double? pitch = null;
        if (pitches.Count > 0)
        {
            pitches.Sort();
            pitch = Math.Round(pitches[pitches.Count / 2], 1);
        }
        return new SpeechSegment
        {
            Speaker = t.Speaker,
            Start = Math.Round((double)start / AudioDecoder.SampleRate, 3),
            End = Math.Round((double)end / AudioDecoder.SampleRate, 3),
            LoudnessDb = Math.Round(SignalFeatures.ToDbfs(energy / count), 1),
            PitchHz = pitch,
        };
    }

    // Two channels mapped to one speaker (e.g. a conference leg) become one timeline for that speaker.
    private static IEnumerable<SpeechSegment> MergeSameSpeaker(List<SpeechSegment> segments)
    {
        SpeechSegment? current = null;
        foreach (var s in segments.OrderBy(s => s.Start))
        {
            if (current is not null && s.Start <= current.End)
            {
                current = current with { End = Math.Max(current.End, s.End), LoudnessDb = Max(current.LoudnessDb, s.LoudnessDb) };
                continue;
            }
            if (current is not null) yield return current;
            current = s;
        }
        if (current is not null) yield return current;
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private sealed class Track(int channel, string speaker, int context, VadSegmenter segmenter)
    {
        private Track(Track from, string speaker) : this(from.Channel, speaker, from.Context.Length, from.Segmenter)
        {
            Energy = from.Energy;
            Pitch = from.Pitch;
        }

        public Track AsSpeaker(string name) => new(this, name);

        public int Channel { get; } = channel;
        public string Speaker { get; } = speaker;
        public VadSegmenter Segmenter { get; } = segmenter;
        public float[] Window = new float[SileroVadModel.Window];
        public float[] Previous = new float[SileroVadModel.Window];
        public float[] Context { get; } = new float[context];
        public float[] State { get; } = new float[SileroVadModel.StateSize];
        public ChunkedFloats Energy { get; } = new();
        public ChunkedFloats Pitch { get; } = new();
        public float Probability;
        public int GatedRun;

        public void Reset()
        {
            Array.Clear(State);
            Array.Clear(Context);
        }
    }
}

/// <summary>An append-only float list in fixed chunks: grows without ever copying or needing one large block.</summary>
internal sealed class ChunkedFloats
{
    private const int ChunkSize = 1 << 16;
    private readonly List<float[]> _chunks = [];

    public int Count { get; private set; }

    public float this[int i] => _chunks[i >> 16][i & (ChunkSize - 1)];

    public void Add(float value)
    {
        if ((Count & (ChunkSize - 1)) == 0) _chunks.Add(new float[ChunkSize]);
        _chunks[^1][Count & (ChunkSize - 1)] = value;
        Count++;
    }
}

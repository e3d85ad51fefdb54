using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace HotlineQA.Scoring.Text;

/// <summary>
/// Mandarin readings from Unihan (<c>kMandarin</c>, Debian <c>unicode-data</c>): the first (most common) reading of
/// each ideograph, as a syllable id, so that ASR homophones (在/再, 帐/账) compare equal. Read from the Unicode data
/// files at start, never from a hand-typed table.
/// </summary>
public sealed class PinyinTable
{
    private static readonly string[] Candidates =
    [
        "/usr/share/unicode/Unihan_Readings.txt",
        "/usr/share/unicode/Unihan_Readings.txt.bz2",
        "/usr/share/unicode/Unihan.zip",
        "/usr/share/unicode-data/Unihan.zip",
    ];

    private static readonly Dictionary<string, PinyinTable> Cache = new();
    private readonly Dictionary<int, string> _reading = new();

    public int Count => _reading.Count;

    /// <summary>The reading of a code point, e.g. "zài" (or "zai" when <paramref name="toneless"/>), or null.</summary>
    public string? Reading(int codePoint, bool toneless = false)
    {
        if (!_reading.TryGetValue(codePoint, out var r)) return null;
        return toneless ? StripTone(r) : r;
    }

    public static PinyinTable Load(string? path = null)
    {
        var file = path ?? Candidates.FirstOrDefault(File.Exists)
            ?? throw new HotlineQA.Common.MissingSetupException(
                "Unihan readings not found: install the Debian package unicode-data (scripts/setup.sh), or set Scoring:UnihanPath");
        if (!File.Exists(file))
            throw new HotlineQA.Common.MissingSetupException(
                $"{file}: Unihan readings not found (Scoring:UnihanPath); install the Debian package unicode-data or fix the setting");
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var cached)) return cached;
            var table = new PinyinTable();
            using (var reader = Open(file)) table.Parse(reader);
            if (table.Count == 0) throw new InvalidOperationException($"{file}: no kMandarin readings found");
            Cache[file] = table;
            return table;
        }
    }

    private void Parse(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("U+", StringComparison.Ordinal)) continue;
            var parts = line.Split('\t');
            if (parts.Length < 3 || parts[1] != "kMandarin") continue;
            var cp = int.Parse(parts[0].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var first = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            _reading[cp] = first;
        }
    }

    private static TextReader Open(string file)
    {
        if (file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var zip = ZipFile.OpenRead(file);
            var entry = zip.GetEntry("Unihan_Readings.txt")
                ?? throw new InvalidOperationException($"{file}: no Unihan_Readings.txt inside");
            return new StringReader(new StreamReader(entry.Open(), Encoding.UTF8).ReadToEnd());
        }
        if (file.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase))
        {
            // .NET has no bzip2 codec; Debian ships the file compressed, so the system's bzip2 inflates it once per process.
            var psi = new ProcessStartInfo("bzip2", ["-dc", file])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("bzip2 could not be started");
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"bzip2 failed on {file}: {p.StandardError.ReadToEnd()}");
            return new StringReader(text);
        }
        return new StreamReader(file, Encoding.UTF8);
    }

    private static string StripTone(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark || c == '\u0308') sb.Append(c);
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}

using System.IO.Compression;

namespace HotlineQA.Classification;

/// <summary>
/// ML.NET writes a model zip with the current time in every entry header, so two identical trainings give different
/// bytes. This rewrites the archive with one fixed timestamp (entries, order and contents unchanged), so the same
/// training data gives the same model file byte for byte and a retrained model diffs clean in git.
/// </summary>
internal static class DeterministicZip
{
    private static readonly DateTimeOffset Stamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Save(string path, Action<Stream> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var raw = new MemoryStream();
        write(raw);
        raw.Position = 0;
        using var source = new ZipArchive(raw, ZipArchiveMode.Read);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        using (var target = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var e in source.Entries)
            {
                var copy = target.CreateEntry(e.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = Stamp;
                using var from = e.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        File.Move(tmp, path, overwrite: true);
    }
}

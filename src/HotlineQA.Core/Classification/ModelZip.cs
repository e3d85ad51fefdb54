using HotlineQA.Common;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>
/// Loading the project's ML.NET model zips (the utterance classifier, the customer-state model, the ending model): the
/// copy embedded in HotlineQA.Core, or a file a site trained — a missing or unusable file is refused with its path and the
/// command that makes a good one. <c>create</c> builds the model from the loaded transformer and may refuse it (wrong
/// classes, wrong shape); that refusal is reported as an unusable file too.
/// </summary>
internal static class ModelZip
{
    /// <param name="what">What the model is called in messages ("classifier model").</param>
    /// <param name="trainCommand">The hotlineqa command that writes it ("classifier train").</param>
    public static T LoadEmbedded<T>(string resource, string what, string trainCommand, Func<MLContext, ITransformer, T> create)
    {
        using var s = typeof(ModelZip).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the built-in {what} is missing from HotlineQA.Core (run: hotlineqa {trainCommand})");
        var ml = new MLContext(seed: ClassifierTraining.Seed);
        return create(ml, ml.Model.Load(s, out _));
    }

    /// <param name="setting">The configuration key that names the file (empty = the built-in model).</param>
    public static T LoadFile<T>(string path, string what, string trainCommand, string setting, Func<MLContext, ITransformer, T> create)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: {what} file not found (train one with 'hotlineqa {trainCommand} --out {path}', or leave {setting} empty for the built-in model)");
        var ml = new MLContext(seed: ClassifierTraining.Seed);
        try
        {
            using var s = File.OpenRead(path);
            return create(ml, ml.Model.Load(s, out _));
        }
        catch (Exception e) when (e is not BadInputException and not OutOfMemoryException)
        {
            throw new BadInputException($"{path}: not a usable {what} ({e.GetType().Name}); retrain it with 'hotlineqa {trainCommand} --out {path}'", e);
        }
    }

    /// <summary>Writes <paramref name="model"/>, whose input rows are <typeparamref name="TRow"/>, as a reproducible zip
    /// (same model → same bytes).</summary>
    public static void Save<TRow>(MLContext ml, ITransformer model, string path) where TRow : class
    {
        var view = ml.Data.LoadFromEnumerable(Array.Empty<TRow>(), SchemaDefinition.Create(typeof(TRow)));
        DeterministicZip.Save(path, s => ml.Model.Save(model, view.Schema, s));
    }
}

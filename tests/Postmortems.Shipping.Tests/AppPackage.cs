using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Postmortems.Testing;

namespace Postmortems.Shipping.Tests;

/// <summary>The app package as an administrator makes it: manifest/package.mjs run by node into a temporary folder.</summary>
internal sealed class AppPackage
{
    public const string AppId = "0d7c5a3e-8f4b-4c1e-9a6d-2b3c4d5e6f70";
    public const string BotId = "6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    public const string ClientId = "c0ffee00-1234-4abc-9def-0123456789ab";
    public const string Host = "postmortems-dev.azurewebsites.net";

    private AppPackage(string zipPath, IReadOnlyDictionary<string, byte[]> entries)
    {
        ZipPath = zipPath;
        Entries = entries;
        Manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();
    }

    public static string ManifestFolder { get; } = Path.Combine(RepositoryRoot.Path, "manifest");

    public string ZipPath { get; }

    public IReadOnlyDictionary<string, byte[]> Entries { get; }

    public JsonObject Manifest { get; }

    /// <summary>The official schema folder of the manifest's version, inside the pinned @microsoft/app-manifest.</summary>
    public string SchemaFolder => Path.Combine(ManifestFolder, "node_modules", "@microsoft", "app-manifest", "build", "json-schemas", "teams", "v" + (string)Manifest["manifestVersion"]!);

    public static Task<Tool.Result> RunPackagerAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Tool.RunAsync("node", [Path.Combine(ManifestFolder, "package.mjs"), .. arguments], RepositoryRoot.Path, cancellationToken);

    public static async Task<AppPackage> BuildAsync(CancellationToken cancellationToken)
    {
        string folder = Path.Combine(Path.GetTempPath(), "postmortems-package-" + Guid.NewGuid().ToString("N"));
        string zip = Path.Combine(folder, "app.zip");
        var result = await RunPackagerAsync(["--app-id", AppId, "--bot-id", BotId, "--host", Host, "--client-id", ClientId, "--out", zip], cancellationToken);
        Assert.AreEqual(0, result.ExitCode, result.Output);

        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var archive = await ZipFile.OpenReadAsync(zip, cancellationToken))
        {
            foreach (var entry in archive.Entries)
            {
                await using var stream = await entry.OpenAsync(cancellationToken);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                entries.Add(entry.FullName, copy.ToArray());
            }
        }

        return new AppPackage(zip, entries);
    }

    /// <summary>Width and height from a PNG's signature and IHDR chunk (bytes 16 to 23, big-endian).</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.IsTrue(png.Length > 24 && png.AsSpan(0, 8).SequenceEqual(signature), "a PNG file");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}

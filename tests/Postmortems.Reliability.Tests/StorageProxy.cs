using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Postmortems.Testing;

namespace Postmortems.Reliability.Tests;

/// <summary>
/// A TCP proxy on a free loopback port in front of Azurite, that the test can tell to misbehave the ways storage does:
/// <see cref="Hang"/> (accept connections and never answer: nothing is forwarded, nothing comes back),
/// <see cref="RefuseAfterNextWrite"/> (let the next write through with its answer, then drop every request after it),
/// <see cref="LoseAnswers"/> (writes reach storage and are carried out, but their answers never come back: what a
/// cancelled request that had already been sent looks like; reads before the write on a connection are still answered), and <see cref="Resume"/> (forward again). The app starts against it while it forwards, so its tables exist.
/// HttpClient sends one request at a time per connection, so a chunk that begins with an HTTP method begins a request.
/// </summary>
internal sealed class StorageProxy : IAsyncDisposable
{
    private static readonly string[] WriteMethods = ["POST ", "PUT ", "PATCH ", "MERGE ", "DELETE "];
    private static readonly string[] ReadMethods = ["GET ", "HEAD ", "OPTIONS "];

    private readonly TcpListener _listener;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile Mode _mode = Mode.Forward;
    private int _held;
    private int _refused;

    private StorageProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private enum Mode
    {
        Forward,
        Hang,
        RefuseAfterNextWrite,
        Refuse,
        LoseAnswers,
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString => AzuriteServer.ConnectionStringFor(Port);

    /// <summary>Connections accepted and held unanswered since the last <see cref="Hang"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Requests dropped since <see cref="RefuseAfterNextWrite"/> let its write through.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static StorageProxy Start(int upstreamPort) => new(upstreamPort);

    /// <summary>From now on, storage accepts connections and never answers. Open connections are cut, so the client's next request lands on a new, held one.</summary>
    public void Hang()
    {
        _mode = Mode.Hang;
        Volatile.Write(ref _held, 0);
        CloseAll();
    }

    /// <summary>The next write goes through and is answered; every request after it is dropped (the connection closed).</summary>
    public void RefuseAfterNextWrite()
    {
        Volatile.Write(ref _refused, 0);
        _mode = Mode.RefuseAfterNextWrite;
    }

    /// <summary>
    /// From now on every request reaches storage; from a connection's first write on, its answers are lost on the way
    /// back. Reads before it (the checks a card press makes before it saves) are answered, so the write is attempted.
    /// </summary>
    public void LoseAnswers() => _mode = Mode.LoseAnswers;

    /// <summary>Storage is back. Held connections are closed without forwarding a byte of what they carried.</summary>
    public void Resume()
    {
        _mode = Mode.Forward;
        CloseAll();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseAll();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_open)
            {
                _open.Add(client);
            }

            if (_mode == Mode.Hang)
            {
                // Accepted, never read, never answered: what a hung storage endpoint looks like from the client.
                Interlocked.Increment(ref _held);
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (_open)
        {
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
            var wroteWhileLosing = new StrongBox<bool>();
            var down = ForwardAnswersAsync(upstream.GetStream(), client.GetStream(), wroteWhileLosing);
            var up = ForwardRequestsAsync(client.GetStream(), upstream.GetStream(), wroteWhileLosing);
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            client.Close();
            upstream.Close();
        }
    }

    private async Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, StrongBox<bool> wroteWhileLosing)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            var (startsRequest, isWrite) = Inspect(buffer, read);
            var mode = _mode;
            if (mode == Mode.Hang || (startsRequest && mode == Mode.Refuse))
            {
                // Dropped before a byte of the request reaches storage.
                if (mode == Mode.Refuse)
                {
                    Interlocked.Increment(ref _refused);
                }

                return;
            }

            if (startsRequest && isWrite && mode == Mode.LoseAnswers)
            {
                Volatile.Write(ref wroteWhileLosing.Value, true);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            if (startsRequest && isWrite && mode == Mode.RefuseAfterNextWrite)
            {
                _mode = Mode.Refuse;
            }
        }
    }

    private async Task ForwardAnswersAsync(NetworkStream from, NetworkStream to, StrongBox<bool> wroteWhileLosing)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (_mode != Mode.LoseAnswers || !Volatile.Read(ref wroteWhileLosing.Value))
            {
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
    }

    private static (bool StartsRequest, bool IsWrite) Inspect(byte[] buffer, int count)
    {
        string start = Encoding.ASCII.GetString(buffer, 0, Math.Min(count, 8));
        if (WriteMethods.Any(m => start.StartsWith(m, StringComparison.Ordinal)))
        {
            return (true, true);
        }

        return (ReadMethods.Any(m => start.StartsWith(m, StringComparison.Ordinal)), false);
    }

    private void CloseAll()
    {
        TcpClient[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var connection in open)
        {
            connection.Close();
        }
    }
}

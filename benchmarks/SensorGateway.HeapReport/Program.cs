using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.Runtime;

// sensorgateway heap report: DUMP CHANNELS [TOP] — the dump from `createdump --full -f DUMP PID` of the gateway.
if (args.Length < 2 || !double.TryParse(args[1], CultureInfo.InvariantCulture, out var channels) || channels <= 0)
{
    Console.Error.WriteLine("usage: SensorGateway.HeapReport DUMP CHANNELS [TOP]");
    return 2;
}

var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
using var target = DataTarget.LoadDump(args[0]);
var clr = target.ClrVersions[0];
// The runtime's own DAC, next to the runtime that wrote the dump (no symbol server here).
var dac = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libmscordaccore.so");
using var runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
var heap = runtime.Heap;

// Live objects: a breadth-first walk from the roots, remembering each object's first referrer (its owner).
var owner = new Dictionary<ulong, string>();
var queue = new Queue<ulong>();
foreach (var root in heap.EnumerateRoots())
{
    if (root.Object.Address != 0 && owner.TryAdd(root.Object.Address, "root:" + root.RootKind))
    {
        queue.Enqueue(root.Object.Address);
    }
}

while (queue.Count > 0)
{
    var parent = heap.GetObject(queue.Dequeue());
    var name = parent.Type?.Name ?? "?";
    foreach (var child in parent.EnumerateReferences(carefully: false, considerDependantHandles: true))
    {
        if (child.Address != 0 && owner.TryAdd(child.Address, name))
        {
            queue.Enqueue(child.Address);
        }
    }
}

var byType = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
var byOwner = new Dictionary<(string Type, string Owner), (long Bytes, long Count)>();
var byText = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
long live = 0, dead = 0;
foreach (var obj in heap.EnumerateObjects())
{
    if (!obj.IsValid || obj.IsFree)
    {
        continue;
    }

    var size = (long)obj.Size;
    if (!owner.TryGetValue(obj.Address, out var referrer))
    {
        dead += size;
        continue;
    }

    live += size;
    var type = obj.Type?.Name ?? "?";
    Add(byType, type, size);
    Add(byOwner, (type, referrer), size);
    if (obj.Type?.IsString == true)
    {
        // Digits folded, so "d00042" and "d00043" count as one text shape.
        Add(byText, Regex.Replace(obj.AsString(120) ?? "", "[0-9]+", "#"), size);
    }
}

long committed = 0;
foreach (var segment in heap.Segments)
{
    committed += (long)segment.CommittedMemory.Length;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"live {live:N0} B ({live / channels:N0} B/channel), dead {dead:N0} B, GC committed {committed:N0} B in {heap.Segments.Length} segments, server GC {heap.IsServer}, {heap.SubHeaps.Length} heaps"));
Print("live objects by type", byType.Select(p => (p.Key, p.Value)));
Print("by type <- first referrer", byOwner.Select(p => ($"{p.Key.Type}  <-  {p.Key.Owner}", p.Value)));
Print("strings by text (digits as #)", byText.Select(p => ($"\"{p.Key}\"", p.Value)));
return 0;

void Print(string title, IEnumerable<(string Name, (long Bytes, long Count) Total)> rows)
{
    Console.WriteLine($"--- {title}");
    foreach (var (name, (bytes, count)) in rows.OrderByDescending(r => r.Total.Bytes).Take(top))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{bytes,14:N0} {count,10:N0} {bytes / channels,8:N1} B/ch {count / channels,6:N2}/ch  {name}"));
    }
}

static void Add<TKey>(Dictionary<TKey, (long Bytes, long Count)> totals, TKey key, long size)
    where TKey : notnull
{
    var total = totals.GetValueOrDefault(key);
    totals[key] = (total.Bytes + size, total.Count + 1);
}

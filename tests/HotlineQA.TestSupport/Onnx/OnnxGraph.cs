using Google.Protobuf;
using HotlineQA.TestSupport.Onnx.Proto;

namespace HotlineQA.TestSupport.Onnx;

/// <summary>A small fluent writer of ONNX graphs over the compiled onnx.proto subset.</summary>
public sealed class OnnxGraph
{
    private readonly GraphProto _graph;
    private int _next;

    public OnnxGraph(string name) => _graph = new GraphProto { Name = name };

    /// <summary>A dimension: an int is fixed, a string is a named dynamic axis (dim_param), as in the real export.</summary>
    public void Input(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    public string Const(float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = Fresh("c"), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        t.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(t);
        return t.Name;
    }

    public string ConstInt64(long[] values, params long[] dims)
    {
        var t = new TensorProto { Name = Fresh("c"), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        _graph.Initializer.Add(t);
        return t.Name;
    }

    public string ScalarInt64(long v) => ConstInt64([v]);

    /// <summary>Adds a node; returns the name of its (first) output, or <paramref name="output"/> when given.</summary>
    public string Op(string opType, string[] inputs, string? output = null, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh(opType) };
        node.Input.AddRange(inputs);
        var outName = output ?? Fresh(opType.ToLowerInvariant());
        node.Output.Add(outName);
        foreach (var (name, value) in attributes)
        {
            var a = new AttributeProto { Name = name };
            switch (value)
            {
                case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
                case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
                case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
                case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
                default: throw new ArgumentException($"attribute type {value.GetType()} not supported");
            }
            node.Attribute.Add(a);
        }
        _graph.Node.Add(node);
        return outName;
    }

    public byte[] ToModelBytes(long opset = 17)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "HotlineQA.TestSupport", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }

    private string Fresh(string prefix) => $"{prefix}_{_next++}";

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException("dimension must be int, long or string"),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

package dev.asyncocr.inference.paddle;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a Paddle model folder before Paddle Inference reads it: given a malformed program or truncated
 * weights, Paddle kills the whole process in native code (a segfault, an uncaught C++ exception) instead
 * of failing. The program ({@code inference.pdmodel}) must be a well-formed protocol buffer holding
 * blocks (a ProgramDesc); the weights ({@code inference.pdiparams}) must be a whole sequence of tensors,
 * each exactly as long as its header says. This catches the wrong file, a truncated download or garbage;
 * it cannot prove every byte right.
 */
final class PaddleModelFiles {

    static final String PROGRAM = "inference.pdmodel";
    static final String WEIGHTS = "inference.pdiparams";

    /** ProgramDesc's {@code repeated BlockDesc blocks = 1}. */
    private static final int BLOCKS_FIELD = 1;
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private PaddleModelFiles() {
    }

    /** @throws IOException saying which file is missing or malformed */
    static void check(Path folder) throws IOException {
        Path program = folder.resolve(PROGRAM);
        Path weights = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(program) || !Files.isRegularFile(weights)) {
            throw new IOException("no " + PROGRAM + " and " + WEIGHTS + " in " + folder);
        }
        String problem = programProblem(Files.readAllBytes(program));
        if (problem != null) {
            throw new IOException(program + " is not a Paddle program description: " + problem);
        }
        problem = weightsProblem(Files.readAllBytes(weights));
        if (problem != null) {
            throw new IOException(weights + " is not a whole set of Paddle tensors: " + problem);
        }
    }

    /**
     * Why the bytes are not a sequence of serialised tensors; null when they are. Each tensor: uint32
     * version 0, uint64 LoD levels (each a uint64 length and that many bytes), uint32 version 0, int32 length
     * of a TensorDesc (data type = 1, dims = 2), then the elements, all little-endian.
     */
    static String weightsProblem(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int tensors = 0;
        try {
            while (buffer.hasRemaining()) {
                int start = buffer.position();
                if (buffer.getInt() != 0) {
                    return "tensor " + tensors + " at byte " + start + " has an unknown version";
                }
                long levels = buffer.getLong();
                for (long level = 0; level < levels; level++) {
                    skip(buffer, buffer.getLong());
                }
                if (buffer.getInt() != 0) {
                    return "tensor " + tensors + " at byte " + start + " has an unknown version";
                }
                int descriptionLength = buffer.getInt();
                byte[] description = new byte[Math.max(0, Math.min(descriptionLength, buffer.remaining()))];
                if (description.length != descriptionLength) {
                    return "tensor " + tensors + " at byte " + start + " is cut off";
                }
                buffer.get(description);
                skip(buffer, TensorDescription.parse(description).bytes());
                tensors++;
            }
        } catch (BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            return "tensor " + tensors + " is cut off or malformed (" + bytes.length + " bytes)";
        }
        return tensors == 0 ? "it holds no tensors" : null;
    }

    private static void skip(ByteBuffer buffer, long length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("past the end");
        }
        buffer.position(buffer.position() + (int) length);
    }

    /** A TensorDesc: the element type and the dimensions. */
    private record TensorDescription(int dataType, long elements) {

        static TensorDescription parse(byte[] bytes) {
            Reader reader = new Reader(bytes);
            int dataType = -1;
            long elements = 1;
            while (reader.position < bytes.length) {
                long tag = reader.varint();
                if (tag == (1 << 3 | VARINT)) {
                    dataType = (int) reader.varint();
                } else if (tag == (2 << 3 | VARINT)) {
                    elements = Math.multiplyExact(elements, dimension(reader.varint()));
                } else if (tag == (2 << 3 | LENGTH_DELIMITED)) {
                    int end = reader.position + (int) reader.varint();
                    while (reader.position < end) {
                        elements = Math.multiplyExact(elements, dimension(reader.varint()));
                    }
                } else {
                    throw new IllegalArgumentException("unknown field");
                }
            }
            return new TensorDescription(dataType, elements);
        }

        private static long dimension(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative dimension");
            }
            return value;
        }

        /** Bytes of the elements; the sizes of Paddle's VarType.Type, from BOOL (0) to COMPLEX128 (24). */
        long bytes() {
            int size = switch (dataType) {
                case 0, 20, 21 -> 1;          // bool, uint8, int8
                case 1, 4, 22 -> 2;           // int16, float16, bfloat16
                case 2, 5 -> 4;               // int32, float32
                case 3, 6, 23 -> 8;           // int64, float64, complex64
                case 24 -> 16;                // complex128
                default -> throw new IllegalArgumentException("unknown data type " + dataType);
            };
            return Math.multiplyExact(elements, size);
        }
    }

    /** Why the bytes are not a ProgramDesc in protocol buffer wire format; null when they look like one. */
    static String programProblem(byte[] bytes) {
        Reader reader = new Reader(bytes);
        int blocks = 0;
        try {
            while (reader.position < bytes.length) {
                long tag = reader.varint();
                int field = (int) (tag >>> 3);
                int wireType = (int) (tag & 7);
                if (field < 1) {
                    return "field number " + field + " at byte " + reader.position;
                }
                switch (wireType) {
                    case VARINT -> reader.varint();
                    case FIXED64 -> reader.skip(8);
                    case FIXED32 -> reader.skip(4);
                    case LENGTH_DELIMITED -> reader.skip(reader.varint());
                    default -> {
                        return "field " + field + " has the unknown wire type " + wireType;
                    }
                }
                if (field == BLOCKS_FIELD && wireType == LENGTH_DELIMITED) {
                    blocks++;
                }
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return blocks == 0 ? "it holds no blocks" : null;
    }

    /** Walks the bytes; runs off the end with an IllegalArgumentException. */
    private static final class Reader {

        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    throw new IllegalArgumentException("it ends inside a number");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a number longer than 10 bytes at byte " + position);
        }

        void skip(long length) {
            if (length < 0 || length > bytes.length - position) {
                throw new IllegalArgumentException("a field of " + length + " bytes at byte " + position
                        + " runs past the end (" + bytes.length + " bytes)");
            }
            position += (int) length;
        }
    }
}

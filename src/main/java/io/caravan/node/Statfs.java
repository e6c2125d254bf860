package io.caravan.node;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * statfs(2) for the filesystem collector. Java 17 has no statfs with inode counts, so there are two ways:
 * JNA's libc binding (used when JNA is on the classpath; loaded by reflection so it stays optional), or the
 * {@code stat -f} command of coreutils (one short process per mount). Either may block on a dead mount;
 * the filesystem collector bounds each call with --collector.filesystem.mount-timeout.
 */
interface Statfs {

    /** f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree of the mount point. */
    final class Result {
        final long bsize;
        final long blocks;
        final long bfree;
        final long bavail;
        final long files;
        final long ffree;

        Result(long bsize, long blocks, long bfree, long bavail, long files, long ffree) {
            this.bsize = bsize;
            this.blocks = blocks;
            this.bfree = bfree;
            this.bavail = bavail;
            this.files = files;
            this.ffree = ffree;
        }
    }

    /** Blocks until the kernel answers; throws with Go's errno text ("no such file or directory") on failure. */
    Result statfs(String path) throws IOException, InterruptedException;

    /** What the implementation is, for logs and reports. */
    String describe();

    static Statfs platformDefault() {
        Statfs jna = JnaStatfs.tryCreate();
        return jna != null ? jna : new CommandStatfs("stat");
    }

    /** statfs through {@code stat -f --format}. */
    final class CommandStatfs implements Statfs {
        private final String command;

        CommandStatfs(String command) {
            this.command = command;
        }

        @Override
        public String describe() {
            return "stat(1) command";
        }

        @Override
        public Result statfs(String path) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(command, "-f", "--format=%s %b %f %a %c %d", "--", path);
            pb.redirectErrorStream(false);
            Process p = pb.start();
            try {
                p.getOutputStream().close();
                byte[] outBytes;
                byte[] errBytes;
                try (InputStream in = p.getInputStream(); InputStream err = p.getErrorStream()) {
                    outBytes = in.readAllBytes();
                    errBytes = err.readAllBytes();
                }
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IOException("stat -f did not exit");
                }
                if (p.exitValue() != 0) {
                    throw new IOException(errnoText(new String(errBytes, StandardCharsets.UTF_8)));
                }
                String[] f = new String(outBytes, StandardCharsets.US_ASCII).trim().split(" ");
                if (f.length != 6) {
                    throw new IOException("unexpected stat -f output for " + path);
                }
                return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]));
            } finally {
                p.destroy();
            }
        }

        /** "stat: cannot read file system information for 'x': No such file or directory" -> Go's "no such file or directory". */
        static String errnoText(String stderr) {
            String s = stderr.trim();
            int i = s.lastIndexOf(": ");
            String m = i >= 0 ? s.substring(i + 2) : s;
            return m.isEmpty() ? "statfs failed" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
    }

    /** statfs(2) through JNA, by reflection: struct statfs on 64-bit Linux is 15 longs (f_type first). */
    final class JnaStatfs implements Statfs {
        private final Object function;      // com.sun.jna.Function
        private final Method invokeInt;     // Function.invokeInt(Object[])
        private final Class<?> memoryClass; // com.sun.jna.Memory
        private final Method getLong;       // Pointer.getLong(long)
        private final Method lastError;     // Native.getLastError()

        private JnaStatfs(Object function, Method invokeInt, Class<?> memoryClass, Method getLong, Method lastError) {
            this.function = function;
            this.invokeInt = invokeInt;
            this.memoryClass = memoryClass;
            this.getLong = getLong;
            this.lastError = lastError;
        }

        static JnaStatfs tryCreate() {
            if (!"64".equals(System.getProperty("sun.arch.data.model")) || !System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                Class<?> nativeLibrary = Class.forName("com.sun.jna.NativeLibrary");
                Object libc = nativeLibrary.getMethod("getInstance", String.class).invoke(null, "c");
                Class<?> functionClass = Class.forName("com.sun.jna.Function");
                Object fn = nativeLibrary.getMethod("getFunction", String.class).invoke(libc, "statfs");
                Method invokeInt = functionClass.getMethod("invokeInt", Object[].class);
                Class<?> memory = Class.forName("com.sun.jna.Memory");
                Method getLong = Class.forName("com.sun.jna.Pointer").getMethod("getLong", long.class);
                Method lastError = Class.forName("com.sun.jna.Native").getMethod("getLastError");
                JnaStatfs s = new JnaStatfs(fn, invokeInt, memory, getLong, lastError);
                s.statfs("/"); // prove it works before choosing it
                return s;
            } catch (Throwable t) {
                return null;
            }
        }

        @Override
        public String describe() {
            return "statfs(2) via JNA";
        }

        @Override
        public Result statfs(String path) throws IOException {
            try {
                Object buf = memoryClass.getConstructor(long.class).newInstance(128L);
                int rc = (Integer) invokeInt.invoke(function, (Object) new Object[] {path, buf});
                if (rc != 0) {
                    int errno = (Integer) lastError.invoke(null);
                    throw new IOException(Errno.text(errno));
                }
                return new Result(l(buf, 8), l(buf, 16), l(buf, 24), l(buf, 32), l(buf, 40), l(buf, 48));
            } catch (ReflectiveOperationException e) {
                throw new IOException("statfs via JNA failed: " + e, e);
            }
        }

        private long l(Object buf, long off) throws ReflectiveOperationException {
            return (Long) getLong.invoke(buf, off);
        }
    }

    /** Go's syscall.Errno strings for the errors statfs can give. */
    final class Errno {
        private Errno() {
        }

        static String text(int errno) {
            switch (errno) {
                case 1: return "operation not permitted";
                case 2: return "no such file or directory";
                case 4: return "interrupted system call";
                case 5: return "input/output error";
                case 12: return "cannot allocate memory";
                case 13: return "permission denied";
                case 14: return "bad address";
                case 20: return "not a directory";
                case 36: return "file name too long";
                case 38: return "function not implemented";
                case 40: return "too many levels of symbolic links";
                case 75: return "value too large for defined data type";
                case 107: return "transport endpoint is not connected";
                case 110: return "connection timed out";
                case 116: return "stale file handle";
                default: return "errno " + errno;
            }
        }
    }
}

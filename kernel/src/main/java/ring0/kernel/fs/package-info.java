/**
 * The kernel's file layer (TRUSTED): the file system rooted at
 * {@code --root}, path resolution that cannot leave it, the shared page
 * cache, the devices, and each process's descriptor table.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link ring0.kernel.fs.Vfs}: the root, {@code resolve} and {@code open};
 *       the walk itself is {@code PathWalk}.
 *   <li>{@link ring0.kernel.fs.PageCache}: 4 KiB pages of host files in native
 *       memory, LRU, write-back.
 *   <li>{@link ring0.kernel.fs.OpenFile} and its six kinds: regular file,
 *       directory, {@code /dev/null}, {@code /dev/zero}, input and output streams.
 *   <li>{@link ring0.kernel.fs.FdTable}: the system calls on files, returning
 *       {@code -errno} ({@link ring0.kernel.fs.Errno}).
 * </ul>
 *
 * <h2>Races with the host</h2>
 * Resolution asks the host about one name at a time and never lets it follow a
 * link, but it does so by path, not through directory descriptors, so there is
 * a window between checking a component and using the result:
 * <ul>
 *   <li><b>Last component.</b> If it is replaced by a symbolic link after
 *       resolution, the open fails with {@code ELOOP}: the host open uses
 *       {@code O_NOFOLLOW}. If it is replaced by a fifo, the open does not
 *       block ({@code O_NONBLOCK}), and the type is checked with
 *       {@code fstat} of the new descriptor, so the kernel refuses anything
 *       but a regular file (or a directory, for a directory open), and the
 *       attributes it keeps are those of exactly the inode it opened. (A
 *       device node swapped in is opened before it is refused: its driver's
 *       {@code open} runs, which needs an accomplice on the host able to
 *       create device nodes inside the root.)
 *   <li><b>Directories on the way.</b> If a directory already checked is
 *       replaced by a symbolic link pointing outside the root before the open,
 *       the host follows it: this is the one way out, and it needs an
 *       accomplice on the host with write access inside the root. ring0
 *       programs cannot be that accomplice: the kernel offers them no
 *       service that creates links or directories or renames anything. The
 *       complete fix is {@code openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)}
 *       or a walk with {@code openat(O_NOFOLLOW | O_DIRECTORY)} through FFM.
 *   <li><b>Files changed by the host while open.</b> The cache assumes the
 *       kernel is the only writer of a file while any process has it open; a
 *       host change then is not seen (cached pages win) and may be overwritten
 *       by write-back, and {@code fstat} keeps answering with the attributes
 *       of the last open. Between opens, a change of size, mtime or ctime makes
 *       the next open drop the cached pages.
 * </ul>
 */
package ring0.kernel.fs;

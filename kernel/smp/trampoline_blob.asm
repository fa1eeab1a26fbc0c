; The assembled trampoline (trampoline.bin, found in the build's
; trampoline directory), embedded in the kernel so that the BSP can copy
; it below 1 MiB.
section .rodata
global trampoline_blob, trampoline_blob_end
align 16
trampoline_blob:
	incbin "trampoline.bin"
trampoline_blob_end:

; The assembled trampoline (build/trampoline/trampoline.bin), embedded in
; the kernel so that the BSP can copy it below 1 MiB.
section .rodata
global trampoline_blob, trampoline_blob_end
align 16
trampoline_blob:
	incbin "build/trampoline/trampoline.bin"
trampoline_blob_end:

-- a comment
/* a block
   comment */ SELECT `quoted col`, "other" /* inline */ FROM t -- tail
;;

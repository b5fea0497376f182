"""Reading documents: files to text, 责任分解方案 into targets and tasks, narratives into statements, numeric indicators."""

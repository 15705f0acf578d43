import { useMemo } from 'react';
import {
  ListPaginationContext,
  Pagination,
  useListContext,
  useListPaginationContext,
  type PaginationProps,
} from 'react-admin';

/**
 * Pagination for the API's cursor-paged lists, which send no total. While there are further
 * pages it reads "1-25 of more than 25"; on the last page the total is known (the pages before
 * plus this one), so it counts exactly, and an empty list shows no pagination at all. Nor does a
 * list the API refused: it has no pages, and react-admin would count a full page ("1-25 of 25").
 */
export const CursorPagination = (props: PaginationProps) => {
  const pagination = useListPaginationContext();
  const { data, error } = useListContext();
  const { total, hasNextPage, isPending, page, perPage } = pagination;
  const rows = data?.length;

  const value = useMemo(() => {
    if (total != null || hasNextPage || isPending || rows === undefined) return pagination;
    return { ...pagination, total: (page - 1) * perPage + rows };
  }, [pagination, total, hasNextPage, isPending, rows, page, perPage]);

  if (error) return null;
  return (
    <ListPaginationContext.Provider value={value}>
      <Pagination {...props} />
    </ListPaginationContext.Provider>
  );
};

import { NotAvailableYet } from '../components/states';

export default function Unavailable({ title, what }: { title: string; what: string }) {
  return (
    <>
      <h1>{title}</h1>
      <NotAvailableYet what={what} />
    </>
  );
}

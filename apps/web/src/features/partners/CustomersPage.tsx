import { PartnersPage } from './PartnersPage';

export default function CustomersPage() {
  return <PartnersPage kind="customer" />;
}
